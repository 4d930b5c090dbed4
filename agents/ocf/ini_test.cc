#include "ocf/ini.h"

#include <gtest/gtest.h>

namespace hapkg::ocf {
namespace {

TEST(Ini, OsloConfigDialect) {
  const std::string text =
      "# comment\n[DEFAULT]\ndebug = true\ntransport_url = rabbit://a:b@h1:5672\n"
      "; another\n[database]\nconnection=sqlite:////x.db\n[DEFAULT]\n"
      "transport_url: rabbit://later\n[oslo_messaging_rabbit]\ntransport_url = not-this\n"
      "[multi]\nvalue = first\n  second\n";
  EXPECT_EQ(ini_value(text, "DEFAULT", "transport_url"), "rabbit://later");  // a later line wins
  EXPECT_EQ(ini_value(text, "database", "connection"), "sqlite:////x.db");
  EXPECT_EQ(ini_value(text, "multi", "value"), "first\nsecond");
  EXPECT_FALSE(ini_value(text, "DEFAULT", "connection"));
  EXPECT_FALSE(ini_value(text, "nosuch", "debug"));
  EXPECT_FALSE(ini_value("#transport_url = rabbit://x\n[DEFAULT]\n#transport_url = y\n", "DEFAULT",
                         "transport_url"));
}

TEST(Ini, UnreadableFileIsAnErrorNotAnAbsentKey) {
  std::string error;
  EXPECT_FALSE(ini_file_value("/nonexistent/nova.conf", "DEFAULT", "transport_url", &error));
  EXPECT_NE(error.find("/nonexistent/nova.conf"), std::string::npos);
}

}  // namespace
}  // namespace hapkg::ocf
