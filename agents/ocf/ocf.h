// The OCF agent framework: an agent is declared as data (Agent), the
// framework owns dispatch, meta-data, environment parsing and exit codes.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hapkg::ocf {

// OCF exit codes (resource-agents: heartbeat/ocf-returncodes).
enum Rc : int {
  kSuccess = 0,
  kErrGeneric = 1,
  kErrArgs = 2,
  kErrUnimplemented = 3,
  kErrPerm = 4,
  kErrInstalled = 5,
  kErrConfigured = 6,
  kNotRunning = 7,
};

// An action ends early by throwing this: the code plus the exit reason
// that goes to stderr after "ocf-exit-reason:".
struct Failure {
  Rc rc;
  std::string reason;
};

enum class Type { kString, kInteger, kBoolean, kTime };

struct Param {
  std::string name;
  Type type = Type::kString;
  std::string default_value;  // may contain ${HA_RSCTMP} and ${OCF_RESOURCE_INSTANCE}
  std::string shortdesc;
  std::string longdesc;
  bool required = false;
  bool unique = false;
};

class Context;
using Handler = std::function<int(Context&)>;

struct Action {
  std::string name;  // one of the DTD's action names
  int timeout = 20;  // seconds, as advertised in meta-data
  int interval = 0;  // seconds, 0 = not advertised
  std::optional<int> depth;
};

struct Agent {
  std::string name;
  std::string version;
  std::string shortdesc;
  std::string longdesc;
  std::vector<Param> params;
  std::vector<Action> actions;
  // Handlers for start, stop, monitor and validate-all; status maps to monitor.
  std::map<std::string, Handler> handlers;
};

// The environment an action runs in: parameters with defaults applied.
class Context {
 public:
  // `env` is the process environment as name -> value (tests pass a map).
  Context(const Agent& agent, std::string action, std::map<std::string, std::string> env);

  const Agent& agent() const { return agent_; }
  const std::string& action() const { return action_; }
  const std::string& instance() const { return instance_; }

  // Parameter value: OCF_RESKEY_<name> if set (even empty? no: unset or
  // empty falls back to the default, like `: ${OCF_RESKEY_x=default}` does
  // for unset and the shell agents' -z tests do for empty).
  std::string get(const std::string& name) const;
  bool is_set(const std::string& name) const;  // non-empty after defaults
  bool get_bool(const std::string& name) const;
  // An integer parameter in [lo, hi], else Failure{kErrConfigured}.
  long get_int(const std::string& name, long lo, long hi) const;
  std::string env(const std::string& name) const;

  bool is_probe() const;           // monitor with interval unset, empty or 0
  long timeout_ms() const;         // OCF_RESKEY_CRM_meta_timeout, or the advertised one
  int check_level() const;         // OCF_CHECK_LEVEL (0 when unset or invalid)
  std::string rsc_tmp() const;     // HA_RSCTMP or /run/resource-agents

 private:
  const Agent& agent_;
  std::string action_;
  std::map<std::string, std::string> env_;
  std::string instance_;
};

// ocf_is_true: yes|true|1|YES|TRUE|True|ja|on|ON.
bool is_true(const std::string& value);

// "${HA_RSCTMP}" and "${OCF_RESOURCE_INSTANCE}" expanded.
std::string expand_default(const std::string& value, const std::string& rsc_tmp,
                           const std::string& instance);

// The meta-data XML (valid against ra-api-1.dtd).
std::string meta_data(const Agent& agent, const std::string& rsc_tmp);

// "usage: NAME {start|stop|...|usage|help}": each action once.
std::string usage_line(const Agent& agent);

// Runs `action` (argv[1]) and returns the exit code. Output (meta-data,
// usage) goes to stdout; exit reasons to stderr.
int run(const Agent& agent, int argc, char** argv);
int run(const Agent& agent, const std::string& action, std::map<std::string, std::string> env);

std::map<std::string, std::string> environment();

}  // namespace hapkg::ocf
