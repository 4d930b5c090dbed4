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
#include <regex>

#include "archive/repo.h"
#include "upgrade/resolve.h"
#include "upgrade/root.h"
#include "deb/version.h"
#include "util/error.h"
#include "util/file.h"

namespace hapkg::archive {
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

struct TempDir {
  std::string path;
  bool keep = false;
  ~TempDir() {
    if (!keep && !path.empty()) std::filesystem::remove_all(path);
  }
};

void validate(UpgradeOptions& o) {
  if (o.new_indices.empty()) throw InputError("--new INDEX is required");
  if (o.mode != "dist-upgrade" && o.mode != "upgrade" && o.mode != "upgrade-new")
    throw InputError("unknown --mode '" + o.mode + "' (dist-upgrade, upgrade, upgrade-new)");
  if (!o.status.empty() && !o.installed.empty()) throw InputError("--status and --installed exclude each other");
  if (!o.installed.empty() && o.old_indices.empty()) throw InputError("--installed needs --old INDEX");
  if (!o.status.empty() && ::access(o.status.c_str(), R_OK) != 0)
    throw InputError(o.status, 0, "cannot read the status file");
  const std::string native = native_architecture();
  if (o.architectures.empty()) o.architectures.push_back(native);
  for (const auto& a : o.architectures)
    if (a != native) check_architecture(a);  // dpkg-architecture -L is slow (Perl); the native one is known
  static const std::regex rel(R"(^\s*([^\s(]+)\s*\(\s*(<<|<=|=|>=|>>)\s*([^\s)]+)\s*\)\s*$)");
  for (const auto& e : o.expect_version)
    if (!std::regex_match(e, rel)) throw InputError("--expect-version '" + e + "': expected 'PKG (>= VERSION)'");
  if (o.pin < -32768 || o.pin > 32767) throw InputError("--pin: priority out of range");
  for (const auto& [idx, prio] : o.ppa_pins)
    if (std::find(o.ppa_indices.begin(), o.ppa_indices.end(), idx) == o.ppa_indices.end())
      throw InputError("--pin '" + idx + "=" + std::to_string(prio) + "': no --ppa " + idx);
  if (!o.keyring.empty() && ::access(o.keyring.c_str(), R_OK) != 0)
    throw InputError(o.keyring, 0, "cannot read the keyring");
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
  static const std::regex rel(R"(^\s*([^\s(]+)\s*\(\s*(<<|<=|=|>=|>>)\s*([^\s)]+)\s*\)\s*$)");
  for (const auto& e : o.expect_version) {
    std::smatch m;
    std::regex_match(e, m, rel);
    std::string p = m[1];
    bool pass = fv.contains(p) && deb::satisfies(fv[p].get<std::string>(), *deb::parse_relation(m[2].str()), m[3].str());
    add("version " + e, pass, fv.contains(p) ? fv[p].get<std::string>() : "not installed");
  }
  if (o.expect_no_removals) add("no removals", r["removed"].empty(), std::to_string(r["removed"].size()) + " removed");
  if (o.expect_no_held) add("no held back", r["held"].empty(), std::to_string(r["held"].size()) + " held back");
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
  std::vector<UpgradeOptions> runs = in;
  for (auto& o : runs) validate(o);
  const UpgradeOptions& first = runs.front();
  TempDir tmp;
  std::string base;  // per-run directory: roots, and index sets unless --cache-dir
  if (!first.keep_root.empty()) {
    std::filesystem::create_directories(first.keep_root);
    base = std::filesystem::absolute(first.keep_root).string();
  } else {
    std::string templ = std::filesystem::temp_directory_path().string() + "/hapkg-upgrade.XXXXXX";
    if (!::mkdtemp(templ.data())) throw_errno("mkdtemp");
    tmp.path = base = templ;
  }
  bool persistent = !first.cache_dir.empty();
  std::string cache_base = persistent ? std::filesystem::absolute(first.cache_dir).string() : base + "/index-sets";
  // index sets (symlinks and synthesised Release files: cheap), how many checks use each
  struct Plan {
    std::string root, new_set, old_set;
  };
  std::vector<Plan> plans;
  std::map<std::string, int> uses;
  std::map<std::string, std::pair<UpgradeOptions, std::string>> warm;  // set -> (options, which)
  for (std::size_t i = 0; i < runs.size(); ++i) {
    auto& o = runs[i];
    bool remote = false;
    for (const auto* v : {&o.old_indices, &o.new_indices, &o.ppa_indices})
      for (const auto& x : *v) remote = remote || x.rfind("http://", 0) == 0 || x.rfind("https://", 0) == 0;
    std::string sets = persistent && !remote ? cache_base : base + "/index-sets";
    Plan p;
    p.root = runs.size() == 1 ? base : base + "/check-" + std::to_string(i + 1);
    p.new_set = prepare_index_set(sets, o, "new");
    warm.emplace(p.new_set, std::make_pair(o, std::string("new")));
    if (!o.installed.empty()) {
      p.old_set = prepare_index_set(sets, o, "old");
      warm.emplace(p.old_set, std::make_pair(o, std::string("old")));
    }
    plans.push_back(p);
  }
  // checks of the same node state (index set, status, architectures, pins) that differ only in
  // mode or assertions share one opened cache: a child opens it and forks one grandchild per check
  std::map<std::string, std::vector<std::size_t>> groups;
  std::vector<std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const auto& o = runs[i];
    if (!o.installed.empty() || runs.size() == 1) {
      members.push_back({i});
      continue;
    }
    std::string key = plans[i].new_set + "\n" + (o.status.empty() ? "" : std::filesystem::absolute(o.status).string());
    for (const auto& a : o.architectures) key += "\n" + a;
    key += "\npin " + std::to_string(o.pin);
    for (const auto& [idx, prio] : o.ppa_pins) key += "\n" + idx + "=" + std::to_string(prio);
    groups[key].push_back(i);
  }
  for (auto& [key, g] : groups) members.push_back(g);
  // an index set is parsed once for all the tasks (groups or single checks) that use it
  for (const auto& m : members) {
    ++uses[plans[m.front()].new_set];
    for (std::size_t i : m)
      if (!plans[i].old_set.empty()) ++uses[plans[i].old_set];
  }
  auto shared = [&](const std::string& set) { return !set.empty() && (persistent || uses[set] > 1); };
  int jobs = first.jobs > 0 ? first.jobs : static_cast<int>(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)));
  // parse each index set used by several checks once, in parallel
  std::vector<std::function<nlohmann::json()>> tasks;
  for (auto& [set, w] : warm) {
    if (uses[set] < 2) continue;
    std::string root = set + "/warm-root";
    UpgradeOptions wo = w.first;
    wo.status.clear();
    build_sandbox_root(root, wo, w.second, set);
    tasks.push_back([root, wo] {
      warm_source_cache(root, wo);
      return nlohmann::json(nullptr);
    });
  }
  for (const auto& r : run_children(tasks, jobs)) unwrap(r);
  tasks.clear();
  for (const auto& m : members) {
    if (m.size() == 1) {
      const Plan& p = plans[m.front()];
      auto o = runs[m.front()];
      tasks.push_back([o, p, sn = shared(p.new_set), so = shared(p.old_set)] {
        return check_one(o, p.root, p.new_set, sn, p.old_set, so);
      });
      continue;
    }
    tasks.push_back([&, m] {
      for (std::size_t i : m) build_sandbox_root(plans[i].root, runs[i], "new", plans[i].new_set);
      auto cache = open_sandbox(plans[m.front()].root, runs[m.front()], shared(plans[m.front()].new_set));
      std::vector<std::function<nlohmann::json()>> checks;
      for (std::size_t i : m)
        checks.push_back([&, i] {
          nlohmann::json r = resolve_upgrade(*cache, runs[i]);
          if (!runs[i].keep_root.empty()) r["root"] = plans[i].root;
          assertions(r, runs[i]);
          return r;
        });
      return nlohmann::json(run_children(checks, jobs));
    });
  }
  std::vector<nlohmann::json> reports(runs.size());
  if (tasks.size() == 1 && members.front().size() == 1) {
    reports[0] = tasks.front()();  // already runs its apt parts in children
  } else {
    auto results = run_children(tasks, jobs);
    std::vector<nlohmann::json> wrapped(runs.size());  // {"result"} or {"error","code"} per check
    for (std::size_t t = 0; t < results.size(); ++t) {
      if (members[t].size() == 1) {
        wrapped[members[t].front()] = results[t];
        continue;
      }
      auto group = unwrap(results[t]);  // the group's own failure (e.g. unreadable indices) first
      for (std::size_t k = 0; k < members[t].size(); ++k) wrapped[members[t][k]] = group[k];
    }
    for (std::size_t i = 0; i < runs.size(); ++i) reports[i] = unwrap(wrapped[i]);  // first error in scenario order
  }
  if (!first.keep_root.empty()) tmp.keep = true;
  return reports;
}

nlohmann::json run_upgrade_check(const UpgradeOptions& o) { return run_upgrade_checks({o}).front(); }

}  // namespace hapkg::archive
