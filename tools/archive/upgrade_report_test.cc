#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <unistd.h>

#include "archive/upgrade_check.h"
#include "util/error.h"

namespace hapkg::archive {
namespace {

std::string write_tmp(const std::string& text) {
  char name[] = "/tmp/hapkg-scenarios.XXXXXX";
  int fd = mkstemp(name);
  close(fd);
  std::ofstream(name) << text;
  return name;
}

TEST(Scenarios, FieldsAndRelativePaths) {
  std::string f = write_tmp("Name: one\nNew: new/Packages\nStatus: /abs/status\nMode: upgrade\n"
                            "Expect-Version: pacemaker (>= 3), corosync (>= 3.1)\nExpect-No-Held: yes\n\n"
                            "New: x\nPin: 1001\n");
  auto s = read_scenarios(f, {});
  std::remove(f.c_str());
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].name, "one");
  EXPECT_EQ(s[0].new_indices.at(0), "/tmp/new/Packages");
  EXPECT_EQ(s[0].status, "/abs/status");
  EXPECT_EQ(s[0].mode, "upgrade");
  EXPECT_EQ(s[0].expect_version.size(), 2u);
  EXPECT_TRUE(s[0].expect_no_held);
  EXPECT_EQ(s[1].name, "scenario 2");
  EXPECT_EQ(s[1].pin, 1001);
}

TEST(Scenarios, BadInputNamesTheLine) {
  std::string f = write_tmp("Name: one\nNew: x\nPin: high\n");
  try {
    read_scenarios(f, {});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(":3: Pin must be a number"), std::string::npos) << e.what();
  }
  std::remove(f.c_str());
  f = write_tmp("Name: one\nColour: red\n");
  EXPECT_THROW(read_scenarios(f, {}), InputError);
  std::remove(f.c_str());
}

TEST(Junit, CountsFailures) {
  nlohmann::json r = {{"scenario", "s<1>"}, {"mode", "dist-upgrade"}, {"resolver_ok", true},
                      {"broken", nlohmann::json::array()}, {"ordering", "completed"},
                      {"assertions", {{{"assertion", "installed x"}, {"pass", false}, {"detail", "not installed"}}}}};
  std::string x = render_junit({r});
  EXPECT_NE(x.find("tests=\"3\" failures=\"1\""), std::string::npos) << x;
  EXPECT_NE(x.find("s&lt;1&gt;"), std::string::npos);
}

}  // namespace
}  // namespace hapkg::archive
