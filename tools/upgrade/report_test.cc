#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <unistd.h>

#include "upgrade/check.h"
#include "util/error.h"

namespace hapkg::upgrade {
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
  // a paragraph's problem stays with that scenario (the others still run)
  std::string f = write_tmp("Name: one\nNew: x\nPin: high\n\nName: two\nNew: y\nMode: dist_upgrade\n\nName: fine\nNew: z\n");
  auto s = read_scenarios(f, {});
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].input_error, f + ":3: Pin: expected PRIORITY or INDEX=PRIORITY, got 'high'");
  EXPECT_EQ(s[1].input_error, f + ":7: unknown Mode 'dist_upgrade' (dist-upgrade, upgrade, upgrade-new)");
  EXPECT_EQ(s[1].where, f + ":5");
  EXPECT_EQ(s[2].input_error, "");
  EXPECT_EQ(s[2].new_indices.at(0), f.substr(0, f.rfind('/')) + "/z");
  std::remove(f.c_str());
  f = write_tmp("Name: one\nColour: red\n");
  EXPECT_EQ(read_scenarios(f, {}).at(0).input_error, f + ":2: unknown scenario field 'Colour'");
  std::remove(f.c_str());
  f = write_tmp("Name: one\nExtended-States: ext\nExpect-PPA-Installable: yes\n");
  auto e = read_scenarios(f, {}).at(0);
  EXPECT_EQ(e.extended_states, f.substr(0, f.rfind('/')) + "/ext");
  EXPECT_TRUE(e.expect_ppa_installable);
  std::remove(f.c_str());
  f = write_tmp("Name: one\nthis is not deb822\n");  // the file itself unreadable: no scenario at all
  EXPECT_THROW(read_scenarios(f, {}), InputError);
  std::remove(f.c_str());
}

TEST(Scenarios, PinPerPpaResolvesPathsLikePpa) {
  std::string f = write_tmp("Name: one\nNew: x\nPPA: a, /abs/b\nPin: a=1001, /abs/b=-10\n\nName: two\nNew: x\nPin: 600\n");
  auto runs = read_scenarios(f, {});
  std::string dir = f.substr(0, f.rfind('/'));
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].ppa_indices, (std::vector<std::string>{dir + "/a", "/abs/b"}));
  EXPECT_EQ(runs[0].ppa_pins, (std::vector<std::pair<std::string, int>>{{dir + "/a", 1001}, {"/abs/b", -10}}));
  EXPECT_EQ(runs[0].pin, 0);
  EXPECT_EQ(runs[1].pin, 600);
  EXPECT_TRUE(runs[1].ppa_pins.empty());
  std::remove(f.c_str());
}

TEST(Pin, ParsesBothForms) {
  UpgradeOptions o;
  parse_pin("990", o);
  parse_pin("/srv/ppa=x=100", o);  // the last '=' separates the priority
  EXPECT_EQ(o.pin, 990);
  EXPECT_EQ(o.ppa_pins, (std::vector<std::pair<std::string, int>>{{"/srv/ppa=x", 100}}));
  for (const char* bad : {"", "high", "0", "ppa=", "=5", "ppa=5x", "40000"})
    EXPECT_THROW(parse_pin(bad, o), InputError) << bad;
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
}  // namespace hapkg::upgrade
