// Input validation, one child process per check, assertions.
#include "upgrade/check.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <algorithm>
#include <functional>
#include <map>
#include <optional>

#include "archive/repo.h"
#include "upgrade/resolve.h"
#include "upgrade/root.h"
#include "deb/version.h"
#include "util/error.h"
#include "util/file.h"
#include "util/strings.h"
#include "util/tempdir.h"

namespace hapkg::upgrade {
namespace {

// Child processes: libapt-pkg keeps process-global state, so every cache
// lives in a child of its own; results come back as JSON over a pipe, errors
// with their exit code.
struct Child {
  pid_t pid = -1;
  int fd = -1;
  std::string data;
};

Child start_child(const std::function<nlohmann::json()>& fn) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno("pipe");
  Child c;
  c.pid = ::fork();
  if (c.pid < 0) throw_errno("fork");
  if (c.pid == 0) {
    ::close(fds[0]);
    nlohmann::json out;
    try {
      out = {{"result", fn()}};
    } catch (const Error& e) {
      out = {{"error", e.what()}, {"code", static_cast<int>(e.code())}};
    } catch (const std::exception& e) {
      out = {{"error", e.what()}, {"code", 3}};
    }
    std::string s = out.dump();
    for (std::size_t off = 0; off < s.size();) {
      ssize_t n = ::write(fds[1], s.data() + off, s.size() - off);
      if (n <= 0) ::_exit(3);
      off += static_cast<std::size_t>(n);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  c.fd = fds[0];
  return c;
}

// Reaps a child whose pipe reached EOF; its result or its error.
nlohmann::json finish_child(Child& c) {
  ::close(c.fd);
  int st = 0;
  ::waitpid(c.pid, &st, 0);
  auto j = nlohmann::json::parse(c.data, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return {{"error", "upgrade check child failed (status " + std::to_string(st) + ")"}, {"code", 3}};
  return j;
}

nlohmann::json unwrap(const nlohmann::json& j) {
  if (j.contains("error")) {
    if (j["code"].get<int>() == 2) throw InputError(j["error"].get<std::string>());
    throw OperationError(j["error"].get<std::string>());
  }
  return j["result"];
}

// Runs every task in a child, at most `jobs` at once; the wrapped results
// ({"result"} or {"error","code"}) in the order of `tasks`.
std::vector<nlohmann::json> run_children(const std::vector<std::function<nlohmann::json()>>& tasks, int jobs) {
  std::vector<nlohmann::json> out(tasks.size());
  std::vector<std::pair<std::size_t, Child>> running;
  std::size_t next = 0;
  while (next < tasks.size() || !running.empty()) {
    while (next < tasks.size() && static_cast<int>(running.size()) < std::max(jobs, 1)) {
      running.emplace_back(next, start_child(tasks[next]));
      ++next;
    }
    std::vector<pollfd> fds;
    for (auto& r : running) fds.push_back({r.second.fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      throw_errno("poll");
    }
    for (std::size_t i = fds.size(); i-- > 0;) {
      if (fds[i].revents == 0) continue;
      char buf[65536];
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        running[i].second.data.append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        out[running[i].first] = finish_child(running[i].second);
        running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
  }
  return out;
}

nlohmann::json in_child(const std::function<nlohmann::json()>& fn) { return unwrap(run_children({fn}, 1).front()); }

// "PKG (OP VERSION)" of --expect-version, scanned by hand (user input: no
// std::regex). False when it is not of that shape.
struct ExpectedVersion {
  std::string package, op, version;
};
bool parse_expected_version(const std::string& text, ExpectedVersion& out) {
  std::string_view s = trim_view(text);
  auto open = s.find('(');
  if (open == std::string_view::npos || s.empty() || s.back() != ')') return false;
  out.package = trim(s.substr(0, open));
  std::string_view inner = trim_view(s.substr(open + 1, s.size() - open - 2));
  std::size_t op_end = 0;
  while (op_end < inner.size() && (inner[op_end] == '<' || inner[op_end] == '>' || inner[op_end] == '='))
    ++op_end;
  out.op = std::string(inner.substr(0, op_end));
  out.version = trim(inner.substr(op_end));
  static const std::vector<std::string> ops{"<<", "<=", "=", ">=", ">>"};
  auto blank = [](const std::string& x) {
    return x.empty() || std::any_of(x.begin(), x.end(), [](char c) { return is_space(c) || c == '(' || c == ')'; });
  };
  return !blank(out.package) && !blank(out.version) && std::find(ops.begin(), ops.end(), out.op) != ops.end();
}

bool is_regular_file(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

// A file the user names: readable and a regular file (a directory is bad
// input, exit 2, not an I/O failure).
void check_input_file(const std::string& path, const std::string& what) {
  if (::access(path.c_str(), R_OK) != 0) throw InputError(path, 0, "cannot read the " + what);
  if (!is_regular_file(path)) throw InputError(path, 0, "not a file (expected a " + what + ")");
}

// Options that contradict each other are refused, never silently ignored.
void refuse_contradictions(const UpgradeOptions& o) {
  if (!o.status.empty() && !o.installed.empty()) throw InputError("--status and --installed exclude each other");
  if (!o.installed.empty() && o.old_indices.empty()) throw InputError("--installed needs --old INDEX");
  if (!o.old_indices.empty() && o.installed.empty())
    throw InputError("--old is only used to compute --installed; with --status (or nothing) the installed set "
                     "is the status file");
  if ((o.pin != 0 || !o.ppa_pins.empty()) && o.ppa_indices.empty()) throw InputError("--pin needs --ppa INDEX");
  if (!o.ppa_suite.empty() && o.ppa_indices.empty()) throw InputError("--ppa-suite needs --ppa INDEX");
  if (!o.old_suite.empty() && o.old_indices.empty()) throw InputError("--old-suite needs --old INDEX");
  if (!o.extended_states.empty() && o.status.empty())
    throw InputError("--extended-states needs --status (it flags packages of the status file)");
  if (o.expect_ppa_installable && o.ppa_indices.empty()) throw InputError("--expect-ppa-installable needs --ppa INDEX");
  if (o.expect_ppa_apt_installable && o.ppa_indices.empty())
    throw InputError("--expect-ppa-apt-installable needs --ppa INDEX");
  if (o.expect_ppa_below_new && o.ppa_indices.empty()) throw InputError("--expect-ppa-below-new needs --ppa INDEX");
}

void validate(UpgradeOptions& o) {
  if (!o.input_error.empty()) throw InputError(o.input_error);
  if (o.new_indices.empty()) throw InputError("--new INDEX is required");
  if (o.mode != "dist-upgrade" && o.mode != "upgrade" && o.mode != "upgrade-new")
    throw InputError("unknown --mode '" + o.mode + "' (dist-upgrade, upgrade, upgrade-new)");
  refuse_contradictions(o);
  if (!o.status.empty()) check_input_file(o.status, "dpkg status file");
  if (!o.extended_states.empty()) check_input_file(o.extended_states, "apt extended_states file");
  const std::string native = native_architecture();
  if (o.architectures.empty()) o.architectures.push_back(native);
  for (const auto& a : o.architectures)
    if (a != native) archive::check_architecture(a);  // dpkg-architecture -L is slow (Perl); the native one is known
  ExpectedVersion ev;
  for (const auto& e : o.expect_version)
    if (!parse_expected_version(e, ev)) throw InputError("--expect-version '" + e + "': expected 'PKG (>= VERSION)'");
  if (o.pin < -32768 || o.pin > 32767) throw InputError("--pin: priority out of range");
  for (const auto& [idx, prio] : o.ppa_pins)
    if (std::find(o.ppa_indices.begin(), o.ppa_indices.end(), idx) == o.ppa_indices.end())
      throw InputError("--pin '" + idx + "=" + std::to_string(prio) + "': no --ppa " + idx);
  if (!o.keyring.empty()) check_input_file(o.keyring, "keyring");
}

// "a 1.0, b 2.0" for a report list (JUnit and text details name packages).
std::string name_versions(const nlohmann::json& list, const char* version_key) {
  std::string out;
  for (const auto& x : list)
    out += (out.empty() ? "" : ", ") + x["package"].get<std::string>() + " " + x[version_key].get<std::string>();
  return out;
}

void assertions(nlohmann::json& r, const UpgradeOptions& o) {
  nlohmann::json list = nlohmann::json::array();
  auto add = [&](const std::string& what, bool pass, const std::string& detail) {
    list.push_back({{"assertion", what}, {"pass", pass}, {"detail", detail}});
  };
  const auto& fv = r["final_versions"];
  for (const auto& p : o.expect_installed) {
    // resolve_upgrade says why apt left it out (no index has it, nothing depends on or recommends it, ...).
    std::string why = "not installed";
    if (r.contains("not_installed_why") && r["not_installed_why"].contains(p)) why = r["not_installed_why"][p];
    add("installed " + p, fv.contains(p), fv.contains(p) ? fv[p].get<std::string>() : why);
  }
  for (const auto& e : o.expect_version) {
    ExpectedVersion ev;
    parse_expected_version(e, ev);  // validated
    bool pass = fv.contains(ev.package) &&
                deb::satisfies(fv[ev.package].get<std::string>(), *deb::parse_relation(ev.op), ev.version);
    add("version " + e, pass, fv.contains(ev.package) ? fv[ev.package].get<std::string>() : "not installed");
  }
  auto counted = [](const nlohmann::json& l, const std::string& what, const char* key) {
    return std::to_string(l.size()) + " " + what + (l.empty() ? "" : ": " + name_versions(l, key));
  };
  if (o.expect_no_removals) add("no removals", r["removed"].empty(), counted(r["removed"], "removed", "version"));
  if (o.expect_no_held) add("no held back", r["held"].empty(), counted(r["held"], "held back", "installed"));
  if (o.expect_ppa_installable) {
    const auto& bad = r["ppa_uninstallable"];
    std::string detail = std::to_string(bad.size()) + " not installable";
    for (std::size_t i = 0; i < bad.size(); ++i) {  // "pkg version (unmet; unmet)"
      std::string unmet;
      for (const auto& u : bad[i]["unmet"]) unmet += (unmet.empty() ? "" : "; ") + u.get<std::string>();
      detail += (i == 0 ? ": " : ", ") + bad[i]["package"].get<std::string>() + " " +
                bad[i]["version"].get<std::string>() + " (" + unmet + ")";
    }
    add("PPA packages installable", bad.empty(), detail);
  }
  if (o.expect_ppa_apt_installable) {
    std::string detail;
    std::size_t bad = 0;
    for (const auto& x : r["ppa_install"]) {
      if (x["installable"].get<bool>()) continue;
      std::string unmet;
      for (const auto& u : x["unmet"]) unmet += (unmet.empty() ? "" : "; ") + u.get<std::string>();
      detail += (bad++ == 0 ? ": " : ", ") + x["package"].get<std::string>() + " " + x["version"].get<std::string>() +
                " (" + unmet + ")";
    }
    add("PPA packages installable (apt-get install)", bad == 0,
        std::to_string(bad) + " of " + std::to_string(r["ppa_install"].size()) + " not installable" + detail);
  }
  if (o.expect_ppa_below_new) {
    std::string detail;
    for (const auto& x : r["ppa_not_below_new"])
      detail += (detail.empty() ? ": " : ", ") + x["package"].get<std::string>() + " " + x["ppa"].get<std::string>() +
                " >= " + x["release"].get<std::string>();
    add("PPA versions below the new release's", r["ppa_not_below_new"].empty(),
        std::to_string(r["ppa_not_below_new"].size()) + " not below" + detail);
  }
  r["assertions"] = list;
  bool ok = r["resolver_ok"].get<bool>() && r["broken"].empty() && r["ordering"] != "failed";
  for (const auto& a : list) ok = ok && a["pass"].get<bool>();
  r["ok"] = ok;
}

// One check on prepared index sets: the --installed closure on the old
// release (a child), then the upgrade (a child).
nlohmann::json check_one(UpgradeOptions o, const std::string& root, const std::string& new_set, bool share_new,
                         const std::string& old_set, bool share_old) {
  if (!o.installed.empty()) {
    std::string old_root = root + "/old-root";
    build_sandbox_root(old_root, o, "old", old_set);
    auto c = in_child([&] {
      std::string ext;
      std::string status = install_closure(old_root, o, share_old, ext);
      return nlohmann::json{{"status", status}, {"extended_states", ext}};
    });
    std::filesystem::remove_all(old_root);
    std::string status_file = root + "/closure-status";
    write_file_atomic(status_file, c["status"].get<std::string>());
    o.status = status_file;
    build_sandbox_root(root, o, "new", new_set);
    write_file_atomic(root + "/var/lib/apt/extended_states", c["extended_states"].get<std::string>());
  } else {
    build_sandbox_root(root, o, "new", new_set);
  }
  nlohmann::json r = in_child([&] { return resolve_upgrade(root, o, share_new); });
  if (!o.keep_root.empty()) r["root"] = root;
  assertions(r, o);
  return r;
}

// The report of a check that could not run; a scenario's error names its
// paragraph ("file:line: ...") unless it already names a place in the file.
nlohmann::json error_report(const UpgradeOptions& o, const Error& e) {
  std::string msg = e.what();
  if (!o.where.empty() && o.input_error.empty()) msg = o.where + ": " + msg;
  return {{"scenario", o.name}, {"mode", o.mode}, {"ok", false}, {"error", msg},
          {"exit_code", static_cast<int>(e.code())}};
}

// The state of one run_upgrade_checks call, filled step by step.
struct Batch {
  struct Plan {
    std::string root, new_set, old_set;
  };
  std::vector<UpgradeOptions> runs;
  std::vector<Plan> plans;
  std::vector<nlohmann::json> failed;      // error report of a run that cannot go on; null otherwise
  std::vector<std::vector<std::size_t>> members;  // runs checked by one task (one opened cache)
  std::map<std::string, int> uses;         // index set -> tasks using it
  std::string base, cache_base;
  bool persistent = false;
  int jobs = 1;
  bool shared(const std::string& set) { return !set.empty() && (persistent || uses[set] > 1); }
  bool ok(std::size_t i) const { return failed[i].is_null(); }
  template <class F>
  void guard(std::size_t i, F&& step) {
    try {
      step();
    } catch (const Error& e) {
      failed[i] = error_report(runs[i], e);
    }
  }
};

void validate_runs(Batch& b) {
  for (std::size_t i = 0; i < b.runs.size(); ++i) b.guard(i, [&] { validate(b.runs[i]); });
}

bool has_url(const UpgradeOptions& o) {
  for (const auto* v : {&o.old_indices, &o.new_indices, &o.ppa_indices})
    for (const auto& x : *v)
      if (x.rfind("http://", 0) == 0 || x.rfind("https://", 0) == 0) return true;
  return false;
}

// Index sets (symlinks and synthesised Release files: cheap; mirrors are
// fetched and verified here) and each run's root.
void plan_index_sets(Batch& b) {
  b.plans.resize(b.runs.size());
  for (std::size_t i = 0; i < b.runs.size(); ++i) {
    if (!b.ok(i)) continue;
    const auto& o = b.runs[i];
    std::string sets = b.persistent && !has_url(o) ? b.cache_base : b.base + "/index-sets";
    auto& p = b.plans[i];
    p.root = b.runs.size() == 1 ? b.base : b.base + "/check-" + std::to_string(i + 1);
    b.guard(i, [&] {
      p.new_set = prepare_index_set(sets, o, "new");
      if (!o.installed.empty()) p.old_set = prepare_index_set(sets, o, "old");
    });
  }
}

// Checks of the same node state (index set, status, architectures, pins)
// that differ only in mode or assertions share one opened cache: a child
// opens it and forks one grandchild per check.
void group_by_node_state(Batch& b) {
  std::map<std::string, std::vector<std::size_t>> groups;
  b.members.clear();
  for (std::size_t i = 0; i < b.runs.size(); ++i) {
    if (!b.ok(i)) continue;
    const auto& o = b.runs[i];
    if (!o.installed.empty() || b.runs.size() == 1) {
      b.members.push_back({i});
      continue;
    }
    std::string key = b.plans[i].new_set + "\n" + (o.status.empty() ? "" : std::filesystem::absolute(o.status).string());
    key += "\n" + (o.extended_states.empty() ? "" : std::filesystem::absolute(o.extended_states).string());
    for (const auto& a : o.architectures) key += "\n" + a;
    key += "\npin " + std::to_string(o.pin);
    for (const auto& [idx, prio] : o.ppa_pins) key += "\n" + idx + "=" + std::to_string(prio);
    groups[key].push_back(i);
  }
  for (auto& [key, g] : groups) b.members.push_back(g);
  b.uses.clear();
  for (const auto& m : b.members) {
    ++b.uses[b.plans[m.front()].new_set];
    for (std::size_t i : m)
      if (!b.plans[i].old_set.empty()) ++b.uses[b.plans[i].old_set];
  }
}

// Parses each index set used by several tasks once, in parallel (apt's
// srcpkgcache.bin in the set). A set that cannot be parsed fails every run
// that uses it.
void warm_shared_sets(Batch& b) {
  std::vector<std::string> sets;
  std::vector<std::function<nlohmann::json()>> tasks;
  for (std::size_t i = 0; i < b.runs.size(); ++i) {
    if (!b.ok(i)) continue;
    for (const auto& [set, which] : {std::pair{b.plans[i].new_set, "new"}, std::pair{b.plans[i].old_set, "old"}}) {
      if (set.empty() || b.uses[set] < 2 || std::find(sets.begin(), sets.end(), set) != sets.end()) continue;
      UpgradeOptions wo = b.runs[i];
      wo.status.clear();
      wo.extended_states.clear();
      // Copies: clang 14 cannot capture structured bindings in a lambda.
      std::string root = set + "/warm-root", w = which, index_set = set;
      b.guard(i, [&] { build_sandbox_root(root, wo, w, index_set); });
      if (!b.ok(i)) continue;
      sets.push_back(set);
      tasks.push_back([root, wo] {
        warm_source_cache(root, wo);
        return nlohmann::json(nullptr);
      });
    }
  }
  auto results = run_children(tasks, b.jobs);
  for (std::size_t t = 0; t < results.size(); ++t)
    for (std::size_t i = 0; i < b.runs.size(); ++i)
      if (b.ok(i) && (b.plans[i].new_set == sets[t] || b.plans[i].old_set == sets[t]))
        b.guard(i, [&] { unwrap(results[t]); });
}

// One task per group: a single check, or a group forking from one cache.
std::function<nlohmann::json()> check_task(Batch& b, const std::vector<std::size_t>& m) {
  if (m.size() == 1) {
    const auto& p = b.plans[m.front()];
    return [o = b.runs[m.front()], p, sn = b.shared(p.new_set), so = b.shared(p.old_set)] {
      return check_one(o, p.root, p.new_set, sn, p.old_set, so);
    };
  }
  return [&b, m] {
    for (std::size_t i : m) build_sandbox_root(b.plans[i].root, b.runs[i], "new", b.plans[i].new_set);
    auto cache = open_sandbox(b.plans[m.front()].root, b.runs[m.front()], b.shared(b.plans[m.front()].new_set));
    std::vector<std::function<nlohmann::json()>> checks;
    for (std::size_t i : m)
      checks.push_back([&, i] {
        nlohmann::json r = resolve_upgrade(*cache, b.runs[i]);
        if (!b.runs[i].keep_root.empty()) r["root"] = b.plans[i].root;
        assertions(r, b.runs[i]);
        return r;
      });
    return nlohmann::json(run_children(checks, b.jobs));
  };
}

// Runs the checks; every run's report (or its error report) in run order.
std::vector<nlohmann::json> run_checks(Batch& b) {
  std::vector<nlohmann::json> reports = b.failed;
  std::vector<std::vector<std::size_t>> todo;
  for (const auto& m : b.members) {
    std::vector<std::size_t> left;
    for (std::size_t i : m)
      if (b.ok(i)) left.push_back(i);
    if (!left.empty()) todo.push_back(left);
  }
  std::vector<std::function<nlohmann::json()>> tasks;
  for (const auto& m : todo) tasks.push_back(check_task(b, m));
  if (tasks.size() == 1 && todo.front().size() == 1 && b.runs.size() == 1) {
    b.guard(0, [&] { reports[0] = tasks.front()(); });  // already runs its apt parts in children
    if (!b.ok(0)) reports[0] = b.failed[0];
    return reports;
  }
  auto results = run_children(tasks, b.jobs);
  for (std::size_t t = 0; t < results.size(); ++t) {
    const auto& m = todo[t];
    std::vector<nlohmann::json> wrapped{results[t]};  // {"result"} or {"error","code"} per check
    if (m.size() > 1) {
      try {
        wrapped = unwrap(results[t]).get<std::vector<nlohmann::json>>();
      } catch (const Error& e) {  // the group's own failure (e.g. unreadable indices) is every member's
        for (std::size_t i : m) reports[i] = error_report(b.runs[i], e);
        continue;
      }
    }
    for (std::size_t k = 0; k < m.size(); ++k) {
      b.guard(m[k], [&] { reports[m[k]] = unwrap(wrapped[k]); });
      if (!b.ok(m[k])) reports[m[k]] = b.failed[m[k]];
    }
  }
  return reports;
}

}  // namespace

void parse_pin(const std::string& value, UpgradeOptions& o) {
  auto eq = value.rfind('=');
  std::string prio = eq == std::string::npos ? value : value.substr(eq + 1);
  int p = 0;
  std::size_t used = 0;
  try {
    p = std::stoi(prio, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != prio.size() || p < -32768 || p > 32767 || p == 0 || (eq != std::string::npos && eq == 0))
    throw InputError("--pin '" + value + "': expected PRIORITY or INDEX=PRIORITY (a non-zero number)");
  if (eq == std::string::npos) o.pin = p;
  else o.ppa_pins.emplace_back(value.substr(0, eq), p);
}

std::vector<nlohmann::json> run_upgrade_checks(const std::vector<UpgradeOptions>& in) {
  Batch b;
  b.runs = in;
  b.failed.assign(in.size(), nullptr);
  const UpgradeOptions& first = b.runs.front();
  std::optional<TempDir> tmp;  // per-run directory: roots, and index sets unless --cache-dir
  if (!first.keep_root.empty()) {
    std::filesystem::create_directories(first.keep_root);
    b.base = std::filesystem::absolute(first.keep_root).string();
  } else {
    tmp.emplace("hapkg-upgrade");
    b.base = tmp->path();
  }
  b.persistent = !first.cache_dir.empty();
  b.cache_base = b.persistent ? std::filesystem::absolute(first.cache_dir).string() : b.base + "/index-sets";
  b.jobs = first.jobs > 0 ? first.jobs : static_cast<int>(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)));
  validate_runs(b);
  plan_index_sets(b);
  group_by_node_state(b);
  warm_shared_sets(b);
  return run_checks(b);
}

int report_error_code(const nlohmann::json& r) { return r.contains("error") ? r["exit_code"].get<int>() : 0; }

nlohmann::json run_upgrade_check(const UpgradeOptions& o) {
  nlohmann::json r = run_upgrade_checks({o}).front();
  if (report_error_code(r) == 2) throw InputError(r["error"].get<std::string>());
  if (report_error_code(r) != 0) throw OperationError(r["error"].get<std::string>());
  return r;
}

}  // namespace hapkg::upgrade
