#include "ocf/ocf.h"

#include <gtest/gtest.h>

#include "ocf/log.h"

namespace hapkg::ocf {
namespace {

Agent sample() {
  Agent a;
  a.name = "sample";
  a.params = {{"pid", Type::kString, "${HA_RSCTMP}/${OCF_RESOURCE_INSTANCE}.pid", "p", "p"},
              {"port", Type::kInteger, "5672", "p", "p"},
              {"flag", Type::kBoolean, "false", "f", "f"}};
  a.actions = {{"start", 20}, {"monitor", 30, 20, 0}, {"status", 20}};
  a.handlers["monitor"] = [](Context& c) { return c.is_probe() ? 7 : 0; };
  a.handlers["start"] = [](Context&) -> int { throw Failure{kErrInstalled, "gone"}; };
  return a;
}

TEST(Ocf, IsTrueAcceptsWhatOcfIsTrueAccepts) {
  for (const char* v : {"yes", "true", "1", "YES", "TRUE", "True", "ja", "on", "ON"}) EXPECT_TRUE(is_true(v)) << v;
  for (const char* v : {"", "no", "0", "Yes", "y", "false", "off", "On"}) EXPECT_FALSE(is_true(v)) << v;
}

TEST(Ocf, DefaultsAndEnvironment) {
  Agent a = sample();
  Context c(a, "start", {{"OCF_RESOURCE_INSTANCE", "ks:1"}, {"OCF_RESKEY_port", "35672"}, {"OCF_RESKEY_flag", "on"}});
  EXPECT_EQ(c.get("pid"), "/run/resource-agents/ks:1.pid");  // clone instances keep their colon
  EXPECT_EQ(c.get_int("port", 1, 65535), 35672);
  EXPECT_TRUE(c.get_bool("flag"));
  Context d(a, "start", {{"HA_RSCTMP", "/tmp/x"}, {"OCF_RESKEY_port", ""}});
  EXPECT_EQ(d.get("pid"), "/tmp/x/default.pid");
  EXPECT_EQ(d.get("port"), "5672");  // empty falls back to the default
  Context e(a, "start", {{"OCF_RESKEY_port", "99999"}});
  EXPECT_THROW(e.get_int("port", 1, 65535), Failure);
}

// Found by the ocf_env fuzz target: a value holding the variable's own
// name looped forever, each replacement making a new match.
TEST(Ocf, DefaultThatNamesItselfIsExpandedOnce) {
  Agent a = sample();
  Context c(a, "start", {{"HA_RSCTMP", "/x/${HA_RSCTMP}"}, {"OCF_RESOURCE_INSTANCE", "${OCF_RESOURCE_INSTANCE}"}});
  EXPECT_EQ(c.get("pid"), "/x/${HA_RSCTMP}/${OCF_RESOURCE_INSTANCE}.pid");
}

TEST(Ocf, ProbeRule) {
  Agent a = sample();
  EXPECT_TRUE(Context(a, "monitor", {}).is_probe());
  EXPECT_TRUE(Context(a, "monitor", {{"OCF_RESKEY_CRM_meta_interval", ""}}).is_probe());
  EXPECT_TRUE(Context(a, "monitor", {{"OCF_RESKEY_CRM_meta_interval", "0"}}).is_probe());
  EXPECT_TRUE(Context(a, "status", {{"OCF_RESKEY_CRM_meta_interval", "0"}}).is_probe());
  EXPECT_FALSE(Context(a, "monitor", {{"OCF_RESKEY_CRM_meta_interval", "20000"}}).is_probe());
  EXPECT_FALSE(Context(a, "start", {}).is_probe());
}

TEST(Ocf, TimeoutAndCheckLevel) {
  Agent a = sample();
  EXPECT_EQ(Context(a, "monitor", {}).timeout_ms(), 30000);
  EXPECT_EQ(Context(a, "status", {}).timeout_ms(), 30000);
  EXPECT_EQ(Context(a, "start", {{"OCF_RESKEY_CRM_meta_timeout", "33000"}}).timeout_ms(), 33000);
  EXPECT_EQ(Context(a, "start", {{"OCF_CHECK_LEVEL", "10"}}).check_level(), 10);
  EXPECT_EQ(Context(a, "start", {{"OCF_CHECK_LEVEL", "15"}}).check_level(), 0);
}

TEST(Ocf, UsageListsEachActionOnce) {
  Agent a = sample();
  EXPECT_EQ(usage_line(a), "usage: sample {start|monitor|status|usage|help}\n");
  a.actions.push_back({"usage", 5});  // the openstack agents advertise usage
  EXPECT_EQ(usage_line(a), "usage: sample {start|monitor|status|usage|help}\n");
}

TEST(Ocf, DispatchStatusSynonymAndUnknownAction) {
  Agent a = sample();
  EXPECT_EQ(run(a, "status", {{"OCF_RESKEY_CRM_meta_interval", "10000"}}), 0);
  EXPECT_EQ(run(a, "monitor", {}), 7);
  EXPECT_EQ(run(a, "start", {}), kErrInstalled);
  EXPECT_EQ(run(a, "frobnicate", {}), kErrUnimplemented);
  EXPECT_EQ(run(a, "stop", {}), kErrUnimplemented);  // no handler
  EXPECT_EQ(run(a, "usage", {}), 0);
}

TEST(Ocf, MetaDataAdvertisesDefaultsWithResourceId) {
  std::string x = meta_data(sample(), "/run/resource-agents");
  EXPECT_NE(x.find("<!DOCTYPE resource-agent SYSTEM \"ra-api-1.dtd\">"), std::string::npos);
  EXPECT_NE(x.find("default=\"/run/resource-agents/RESOURCE_ID.pid\""), std::string::npos);
  EXPECT_NE(x.find("<action name=\"monitor\" timeout=\"30s\" interval=\"20s\" depth=\"0\" />"), std::string::npos);
}

TEST(Ocf, LogConfigFollowsOcfLog) {
  auto c = log_config_from_env({{"HA_LOGFACILITY", "daemon"}, {"HA_LOGFILE", "/tmp/f"}, {"HA_debug", "1"}}, "keystone", "ks");
  EXPECT_EQ(c.facility, "daemon");
  EXPECT_EQ(c.logfile, "/tmp/f");
  EXPECT_TRUE(c.debug);
  EXPECT_EQ(c.tag.rfind("keystone(ks)[", 0), 0u);
  EXPECT_FALSE(log_config_from_env({{"HA_debug", "0"}}, "a", "b").debug);
  EXPECT_TRUE(log_config_from_env({{"OCF_TRACE_RA", "1"}}, "a", "b").debug);
  EXPECT_EQ(format_line(Level::kWarn, "x"), "WARNING: x");
}

}  // namespace
}  // namespace hapkg::ocf
