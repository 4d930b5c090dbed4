#include "ocf/log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <sstream>

#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::ocf {
namespace {

// Lines written under `config`, with stderr captured.
struct Logged {
  std::string err;
};

Logged log_with(const LogConfig& config, const std::function<void()>& body) {
  set_log_config(config);
  testing::internal::CaptureStderr();
  body();
  Logged l{testing::internal::GetCapturedStderr()};
  set_log_config({});
  return l;
}

// "Mon DD HH:MM:SS " then the rest, as ocf_log's ha_log writes to HA_LOGFILE.
bool stamped(const std::string& line, const std::string& rest) {
  if (line.size() != 16 + rest.size() || line.substr(16) != rest) return false;
  return line[3] == ' ' && line[6] == ' ' && line[9] == ':' && line[12] == ':' && line[15] == ' ';
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

TEST(Log, FormatLineNamesEveryLevelAsOcfLog) {
  EXPECT_EQ(format_line(Level::kDebug, "m"), "DEBUG: m");
  EXPECT_EQ(format_line(Level::kInfo, "m"), "INFO: m");
  EXPECT_EQ(format_line(Level::kWarn, "m"), "WARNING: m");
  EXPECT_EQ(format_line(Level::kErr, "m"), "ERROR: m");
  EXPECT_EQ(format_line(Level::kCrit, "m"), "CRIT: m");
}

TEST(Log, ConfigFromEnvironmentPrefersHaNamesAndSkipsEmptyValues) {
  auto c = log_config_from_env({}, "keystone", "p_keystone");
  EXPECT_EQ(c.tag, "keystone(p_keystone)[" + std::to_string(::getpid()) + "]");
  EXPECT_EQ(c.facility, "");
  EXPECT_EQ(c.logfile, "");
  EXPECT_FALSE(c.debug);
  EXPECT_EQ(log_config_from_env({{"HA_LOGFILE", "/a"}, {"PCMK_logfile", "/b"}}, "a", "b").logfile, "/a");
  EXPECT_EQ(log_config_from_env({{"HA_LOGFILE", ""}, {"PCMK_logfile", "/b"}}, "a", "b").logfile, "/b");
  EXPECT_EQ(log_config_from_env({{"HA_logfile", "/c"}}, "a", "b").logfile, "/c");
  EXPECT_EQ(log_config_from_env({{"PCMK_LOGFILE", "/d"}}, "a", "b").logfile, "/d");
  EXPECT_EQ(log_config_from_env({{"PCMK_logfacility", "local3"}}, "a", "b").facility, "local3");
  EXPECT_EQ(log_config_from_env({{"HA_logfacility", "none"}}, "a", "b").facility, "none");
  EXPECT_EQ(log_config_from_env({{"PCMK_debugfile", "/dbg"}}, "a", "b").debuglog, "/dbg");
  for (const char* off : {"0", "no", "false", "off", ""})
    EXPECT_FALSE(log_config_from_env({{"HA_debug", off}}, "a", "b").debug) << off;
  for (const char* on : {"1", "yes", "true"}) EXPECT_TRUE(log_config_from_env({{"HA_debug", on}}, "a", "b").debug) << on;
  EXPECT_TRUE(log_config_from_env({{"PCMK_debug", "1"}}, "a", "b").debug);
  EXPECT_TRUE(log_config_from_env({{"OCF_RESKEY_trace_ra", "1"}}, "a", "b").debug);
}

TEST(Log, LogfileGetsStampedTaggedLinesAndStderrStaysQuiet) {
  hapkg::TempDir dir("log-test");
  LogConfig c;
  c.tag = "glance-api(g)[42]";
  c.logfile = dir.path() + "/ha.log";
  auto l = log_with(c, [] {
    log(Level::kInfo, "started");
    log(Level::kErr, "broken");
    log(Level::kDebug, "hidden without HA_debug");
  });
  EXPECT_EQ(l.err, "");
  auto lines = lines_of(read_file(c.logfile));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(stamped(lines[0], "glance-api(g)[42]: INFO: started")) << lines[0];
  EXPECT_TRUE(stamped(lines[1], "glance-api(g)[42]: ERROR: broken")) << lines[1];
}

TEST(Log, DebugGoesToTheDebugLogOnlyWhenEnabled) {
  hapkg::TempDir dir("log-test");
  LogConfig c;
  c.tag = "t";
  c.logfile = dir.path() + "/ha.log";
  c.debuglog = dir.path() + "/debug.log";
  c.debug = true;
  auto l = log_with(c, [] { log(Level::kDebug, "detail"); });
  EXPECT_EQ(l.err, "");
  EXPECT_NE(::access(c.logfile.c_str(), F_OK), 0);  // not even created
  auto lines = lines_of(read_file(c.debuglog));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(stamped(lines[0], "t: DEBUG: detail")) << lines[0];
  c.debuglog = "/dev/null";  // no real debug log: stderr instead
  EXPECT_EQ(log_with(c, [] { log(Level::kDebug, "detail"); }).err, "t: DEBUG: detail\n");
}

TEST(Log, StderrWhenOnATtyOrWhenNothingElseIsConfigured) {
  hapkg::TempDir dir("log-test");
  LogConfig c;
  c.tag = "t";
  EXPECT_EQ(log_with(c, [] { log(Level::kWarn, "w"); }).err, "t: WARNING: w\n");
  c.facility = "none";
  EXPECT_EQ(log_with(c, [] { log(Level::kCrit, "c"); }).err, "t: CRIT: c\n");
  c.logfile = dir.path() + "/ha.log";
  c.stderr_tty = true;  // a person at a terminal: stderr only
  EXPECT_EQ(log_with(c, [] { log(Level::kInfo, "i"); }).err, "t: INFO: i\n");
  EXPECT_NE(::access(c.logfile.c_str(), F_OK), 0);  // not even created
}

TEST(Log, SyslogFacilityReplacesStderr) {
  LogConfig c;
  c.tag = "t";
  c.facility = "daemon";
  EXPECT_EQ(log_with(c, [] { log(Level::kInfo, "to syslog"); }).err, "");
}

TEST(Log, ExitReasonPrecedesTheLoggedError) {
  hapkg::TempDir dir("log-test");
  LogConfig c;
  c.tag = "t";
  c.logfile = dir.path() + "/ha.log";
  EXPECT_EQ(log_with(c, [] { exit_reason("config file missing"); }).err, "ocf-exit-reason:config file missing\n");
  auto lines = lines_of(read_file(c.logfile));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(stamped(lines[0], "t: ERROR: config file missing")) << lines[0];
}

TEST(Log, LogfileSymlinkIsNotFollowed) {
  hapkg::TempDir dir("log-test");
  std::string victim = dir.path() + "/victim", link = dir.path() + "/ha.log";
  std::ofstream(victim) << "precious\n";
  ASSERT_EQ(::symlink(victim.c_str(), link.c_str()), 0);
  LogConfig c;
  c.tag = "t";
  c.logfile = link;
  log_with(c, [] { log(Level::kInfo, "x"); });
  EXPECT_EQ(read_file(victim), "precious\n");
}

}  // namespace
}  // namespace hapkg::ocf
