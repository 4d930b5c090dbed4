#include "ocf/log.h"

#include <fcntl.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace hapkg::ocf {
namespace {

LogConfig g_config;

std::string lookup(const std::map<std::string, std::string>& env, const char* a, const char* b) {
  for (const char* k : {a, b}) {
    auto it = env.find(k);
    if (it != env.end() && !it->second.empty()) return it->second;
  }
  return {};
}

bool truthy(const std::string& v) {
  return !v.empty() && v != "0" && v != "no" && v != "false" && v != "off";
}

int facility_code(const std::string& f) {
  static const std::map<std::string, int> kMap = {
      {"daemon", LOG_DAEMON}, {"user", LOG_USER},     {"local0", LOG_LOCAL0},
      {"local1", LOG_LOCAL1}, {"local2", LOG_LOCAL2}, {"local3", LOG_LOCAL3},
      {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5}, {"local6", LOG_LOCAL6},
      {"local7", LOG_LOCAL7}, {"authpriv", LOG_AUTHPRIV}};
  auto it = kMap.find(f);
  return it == kMap.end() ? LOG_DAEMON : it->second;
}

void append(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
  if (fd < 0) return;
  ssize_t n = ::write(fd, text.data(), text.size());
  (void)n;
  ::close(fd);
}

std::string stamp() {
  char buf[64];
  time_t now = ::time(nullptr);
  struct tm tm {};
  ::localtime_r(&now, &tm);
  ::strftime(buf, sizeof buf, "%b %d %T ", &tm);
  return buf;
}

}  // namespace

std::string format_line(Level level, const std::string& message) {
  static const char* kNames[] = {"DEBUG", "INFO", "WARNING", "ERROR", "CRIT"};
  return std::string(kNames[static_cast<int>(level)]) + ": " + message;
}

LogConfig log_config_from_env(const std::map<std::string, std::string>& env,
                              const std::string& agent, const std::string& instance) {
  LogConfig c;
  c.tag = agent + "(" + instance + ")[" + std::to_string(::getpid()) + "]";
  c.facility = lookup(env, "HA_LOGFACILITY", "PCMK_logfacility");
  if (c.facility.empty()) c.facility = lookup(env, "HA_logfacility", "PCMK_LOGFACILITY");
  c.logfile = lookup(env, "HA_LOGFILE", "PCMK_logfile");
  if (c.logfile.empty()) c.logfile = lookup(env, "HA_logfile", "PCMK_LOGFILE");
  c.debuglog = lookup(env, "HA_DEBUGLOG", "PCMK_debugfile");
  c.debug = truthy(lookup(env, "HA_debug", "PCMK_debug")) ||
            truthy(lookup(env, "OCF_TRACE_RA", "OCF_RESKEY_trace_ra"));
  c.stderr_tty = ::isatty(2) == 1;
  return c;
}

void set_log_config(LogConfig config) { g_config = std::move(config); }

void log(Level level, const std::string& message) {
  const LogConfig& c = g_config;
  std::string line = format_line(level, message);
  if (level == Level::kDebug) {
    if (!c.debug) return;
    if (!c.debuglog.empty() && c.debuglog != "/dev/null")
      append(c.debuglog, stamp() + c.tag + ": " + line + "\n");
    else
      std::fprintf(stderr, "%s: %s\n", c.tag.c_str(), line.c_str());
    return;
  }
  if (c.stderr_tty) {
    std::fprintf(stderr, "%s: %s\n", c.tag.c_str(), line.c_str());
    return;
  }
  bool done = false;
  if (!c.facility.empty() && c.facility != "none") {
    int prio = level == Level::kCrit  ? LOG_CRIT
               : level == Level::kErr ? LOG_ERR
               : level == Level::kWarn ? LOG_WARNING
                                       : LOG_INFO;
    ::openlog(c.tag.c_str(), 0, facility_code(c.facility));
    ::syslog(prio, "%s", line.c_str());
    ::closelog();
    done = true;
  }
  if (!c.logfile.empty()) {
    append(c.logfile, stamp() + c.tag + ": " + line + "\n");
    done = true;
  }
  if (!done) std::fprintf(stderr, "%s: %s\n", c.tag.c_str(), line.c_str());
}

void exit_reason(const std::string& message) {
  std::fprintf(stderr, "ocf-exit-reason:%s\n", message.c_str());
  std::fflush(stderr);
  log(Level::kErr, message);
}

}  // namespace hapkg::ocf
