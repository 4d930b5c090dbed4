#include "ocf/ocf.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>

#include "ocf/log.h"
#include "util/xml_escape.h"

extern char** environ;

namespace hapkg::ocf {
namespace {

const char* type_name(Type t) {
  switch (t) {
    case Type::kInteger: return "integer";
    case Type::kBoolean: return "boolean";
    case Type::kTime: return "time";
    default: return "string";
  }
}

std::string lookup(const std::map<std::string, std::string>& env, const std::string& k) {
  auto it = env.find(k);
  return it == env.end() ? std::string() : it->second;
}

std::string usage_text(const Agent& agent) {
  std::string out = "usage: " + agent.name + " {";
  bool first = true, has_usage = false, has_help = false;
  for (const auto& a : agent.actions) {
    out += (first ? "" : "|") + a.name;
    first = false;
    has_usage |= a.name == "usage";
    has_help |= a.name == "help";
  }
  // usage and help always work; an agent advertising them lists them once.
  return out + (has_usage ? "" : "|usage") + (has_help ? "" : "|help") + "}\n";
}

}  // namespace

std::string usage_line(const Agent& agent) { return usage_text(agent); }

bool is_true(const std::string& v) {
  return v == "yes" || v == "true" || v == "1" || v == "YES" || v == "TRUE" || v == "True" ||
         v == "ja" || v == "on" || v == "ON";
}

std::string expand_default(const std::string& value, const std::string& rsc_tmp,
                           const std::string& instance) {
  std::string out = value;
  for (auto [key, repl] : {std::pair<std::string, std::string>{"${HA_RSCTMP}", rsc_tmp},
                           {"${OCF_RESOURCE_INSTANCE}", instance}}) {
    // Scan on after each replacement: a value that itself contains the key
    // (HA_RSCTMP=/x/${HA_RSCTMP}) is inserted once, never expanded again.
    for (size_t p = 0; (p = out.find(key, p)) != std::string::npos; p += repl.size()) out.replace(p, key.size(), repl);
  }
  return out;
}

Context::Context(const Agent& agent, std::string action, std::map<std::string, std::string> env)
    : agent_(agent), action_(std::move(action)), env_(std::move(env)) {
  instance_ = lookup(env_, "OCF_RESOURCE_INSTANCE");
  if (instance_.empty()) instance_ = "default";
}

std::string Context::env(const std::string& name) const { return lookup(env_, name); }

std::string Context::rsc_tmp() const {
  std::string v = env("HA_RSCTMP");
  return v.empty() ? "/run/resource-agents" : v;
}

std::string Context::get(const std::string& name) const {
  std::string v = env("OCF_RESKEY_" + name);
  if (!v.empty()) return v;
  for (const auto& p : agent_.params)
    if (p.name == name) return expand_default(p.default_value, rsc_tmp(), instance_);
  return {};
}

bool Context::is_set(const std::string& name) const { return !get(name).empty(); }

bool Context::get_bool(const std::string& name) const { return is_true(get(name)); }

long Context::get_int(const std::string& name, long lo, long hi) const {
  std::string v = get(name);
  char* end = nullptr;
  errno = 0;
  long n = v.empty() ? 0 : std::strtol(v.c_str(), &end, 10);
  if (v.empty() || errno != 0 || *end != '\0' || n < lo || n > hi)
    throw Failure{kErrConfigured, "parameter " + name + "=" + v + " is not an integer from " +
                                      std::to_string(lo) + " to " + std::to_string(hi)};
  return n;
}

bool Context::is_probe() const {
  if (action_ != "monitor" && action_ != "status") return false;
  std::string v = env("OCF_RESKEY_CRM_meta_interval");
  return v.empty() || v == "0";
}

long Context::timeout_ms() const {
  std::string v = env("OCF_RESKEY_CRM_meta_timeout");
  char* end = nullptr;
  long n = v.empty() ? 0 : std::strtol(v.c_str(), &end, 10);
  if (n > 0 && end && *end == '\0') return n;
  std::string name = action_ == "status" ? "monitor" : action_;
  for (const auto& a : agent_.actions)
    if (a.name == name) return a.timeout * 1000L;
  return 20000;
}

int Context::check_level() const {
  std::string v = env("OCF_CHECK_LEVEL");
  if (v.empty()) v = env("OCF_RESKEY_OCF_CHECK_LEVEL");
  if (v == "10") return 10;
  if (v == "20") return 20;
  return 0;
}

std::string meta_data(const Agent& agent, const std::string& rsc_tmp) {
  std::string x = "<?xml version=\"1.0\"?>\n<!DOCTYPE resource-agent SYSTEM \"ra-api-1.dtd\">\n";
  x += "<resource-agent name=\"" + xml_escape(agent.name) + "\" version=\"" +
       xml_escape(agent.version) + "\">\n<version>1.0</version>\n\n";
  x += "<longdesc lang=\"en\">\n" + xml_escape(agent.longdesc) + "\n</longdesc>\n";
  x += "<shortdesc lang=\"en\">" + xml_escape(agent.shortdesc) + "</shortdesc>\n\n<parameters>\n";
  for (const auto& p : agent.params) {
    x += "<parameter name=\"" + xml_escape(p.name) + "\" unique=\"" + (p.unique ? "1" : "0") +
         "\" required=\"" + (p.required ? "1" : "0") + "\">\n";
    x += "<longdesc lang=\"en\">\n" + xml_escape(p.longdesc) + "\n</longdesc>\n";
    x += "<shortdesc lang=\"en\">" + xml_escape(p.shortdesc) + "</shortdesc>\n";
    x += "<content type=\"" + std::string(type_name(p.type)) + "\"";
    std::string def = expand_default(p.default_value, rsc_tmp, "RESOURCE_ID");
    if (!def.empty()) x += " default=\"" + xml_escape(def) + "\"";
    x += " />\n</parameter>\n\n";
  }
  x += "</parameters>\n\n<actions>\n";
  for (const auto& a : agent.actions) {
    x += "<action name=\"" + a.name + "\" timeout=\"" + std::to_string(a.timeout) + "s\"";
    if (a.interval) x += " interval=\"" + std::to_string(a.interval) + "s\"";
    if (a.depth) x += " depth=\"" + std::to_string(*a.depth) + "\"";
    x += " />\n";
  }
  x += "</actions>\n</resource-agent>\n";
  return x;
}

std::map<std::string, std::string> environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    auto eq = kv.find('=');
    if (eq != std::string::npos) env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return env;
}

int run(const Agent& agent, const std::string& action, std::map<std::string, std::string> env) {
  Context ctx(agent, action, std::move(env));
  set_log_config(log_config_from_env(
      {{"HA_LOGFACILITY", ctx.env("HA_LOGFACILITY")}, {"PCMK_logfacility", ctx.env("PCMK_logfacility")},
       {"HA_LOGFILE", ctx.env("HA_LOGFILE")},         {"PCMK_logfile", ctx.env("PCMK_logfile")},
       {"HA_DEBUGLOG", ctx.env("HA_DEBUGLOG")},       {"PCMK_debugfile", ctx.env("PCMK_debugfile")},
       {"HA_debug", ctx.env("HA_debug")},             {"PCMK_debug", ctx.env("PCMK_debug")},
       {"OCF_TRACE_RA", ctx.env("OCF_TRACE_RA")}},
      agent.name, ctx.instance()));
  if (action == "meta-data") {
    std::fputs(meta_data(agent, ctx.rsc_tmp()).c_str(), stdout);
    return kSuccess;
  }
  if (action == "usage" || action == "help" || action == "--help" || action == "-h") {
    std::fputs(usage_line(agent).c_str(), stdout);
    return kSuccess;
  }
  std::string name = action == "status" ? "monitor" : action;
  auto it = agent.handlers.find(name);
  bool advertised = false;
  for (const auto& a : agent.actions) advertised |= a.name == action;
  if (it == agent.handlers.end() || !advertised) {
    std::fputs(usage_line(agent).c_str(), stderr);
    exit_reason("unimplemented action: " + action);
    return kErrUnimplemented;
  }
  log(Level::kDebug, "action " + action + " starts");
  try {
    for (const auto& p : agent.params)
      if (p.required && !ctx.is_set(p.name))
        throw Failure{kErrConfigured, "required parameter " + p.name + " is not set"};
    int rc = it->second(ctx);
    log(Level::kDebug, "action " + action + " returns " + std::to_string(rc));
    return rc;
  } catch (const Failure& f) {
    exit_reason(f.reason);
    return f.rc;
  } catch (const std::exception& e) {
    exit_reason(std::string("internal error: ") + e.what());
    return kErrGeneric;
  }
}

int run(const Agent& agent, int argc, char** argv) {
  if (argc < 2) {
    std::fputs(usage_line(agent).c_str(), stderr);
    return kErrArgs;
  }
  return run(agent, argv[1], environment());
}

}  // namespace hapkg::ocf
