// ocf_log-compatible logging: tag "agent(instance)[pid]", HA_LOGFACILITY
// -> syslog, HA_LOGFILE -> appended file, stderr on a tty or when neither
// is set; debug only with HA_debug / OCF_TRACE_RA, to HA_DEBUGLOG.
#pragma once

#include <map>
#include <string>

namespace hapkg::ocf {

enum class Level { kDebug, kInfo, kWarn, kErr, kCrit };

struct LogConfig {
  std::string tag;
  std::string facility;   // "" or "none" = no syslog
  std::string logfile;
  std::string debuglog;
  bool debug = false;
  bool stderr_tty = false;
};

LogConfig log_config_from_env(const std::map<std::string, std::string>& env,
                              const std::string& agent, const std::string& instance);
void set_log_config(LogConfig config);
void log(Level level, const std::string& message);
// Exit reason: "ocf-exit-reason:<msg>" on stderr, and logged as an error.
void exit_reason(const std::string& message);

// "<LEVEL>: message" as ocf_log formats it.
std::string format_line(Level level, const std::string& message);

}  // namespace hapkg::ocf
