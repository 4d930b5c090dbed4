// Process management shared by every daemon agent: start (fork, setsid,
// drop privileges, clean environment, exec without a shell, pid file),
// status (pid identity), stop (SIGTERM, wait, SIGKILL, confirm).
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ocf/proc.h"

namespace hapkg::ocf {

// The PATH daemons get, and the one binaries are looked up in.
inline constexpr const char* kDaemonPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// An absolute path is checked as is; a name is looked up in kDaemonPath.
// "" if there is no executable regular file.
std::string find_binary(const std::string& name);

struct DaemonSpec {
  std::string path;                    // resolved executable
  std::vector<std::string> argv;       // argv[0] included
  std::string user;                    // run-as user ("" = stay)
  std::vector<std::string> extra_env;  // "NAME=value" besides the fixed ones
  std::string log_file;                // "" = /dev/null
  std::string pid_file;
  std::string binary_name;             // what identity checks look for
};

// Starts the daemon and writes the pid file; throws Failure.
// Returns the child's identity; the caller is its parent until it exits.
Identity spawn(const DaemonSpec& spec);

// Returns the running daemon named by the pid file, if it is still ours.
// A pid file without a start time (a shell agent's: the pid only) proves
// nothing by the process name (`exec -a uwsgi sleep`): such a pid counts only
// if `verify_legacy` confirms it, and is never trusted without one.
std::optional<Identity> running(const std::string& pid_file, const std::string& binary_name,
                                const std::function<bool(const Identity&)>& verify_legacy = {});

// Polls `healthy` every `poll_ms` until it returns "" (success), the child
// exits (Failure kErrGeneric), or `deadline_ms` passes (Failure kErrGeneric).
void wait_healthy(const Identity& child, const std::function<std::string()>& healthy,
                  long deadline_ms, long poll_ms = 200);

// Stops the daemon: SIGTERM to its process group, wait up to `term_wait_ms`,
// SIGKILL, wait up to `kill_wait_ms`. Returns true when it is gone.
bool stop_daemon(const Identity& id, long term_wait_ms, long kill_wait_ms);

long monotonic_ms();

}  // namespace hapkg::ocf
