// Input validation, one child process per check, assertions.
#include "archive/upgrade_check.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <regex>

#include "archive/repo.h"
#include "archive/upgrade_resolve.h"
#include "archive/upgrade_root.h"
#include "deb/version.h"
#include "util/error.h"
#include "util/file.h"

namespace hapkg::archive {
namespace {

// Runs `fn` in a child (apt's globals stay out of this process); errors come
// back with their exit code.
nlohmann::json in_child(const std::function<nlohmann::json()>& fn) {
  int fds[2];
  if (::pipe(fds) != 0) throw_errno("pipe");
  pid_t pid = ::fork();
  if (pid < 0) throw_errno("fork");
  if (pid == 0) {
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
  std::string data;
  char buf[65536];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) data.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int st = 0;
  ::waitpid(pid, &st, 0);
  auto j = nlohmann::json::parse(data, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw OperationError("upgrade check child failed (status " + std::to_string(st) + ")");
  if (j.contains("error")) {
    int code = j["code"].get<int>();
    if (code == 2) throw InputError(j["error"].get<std::string>());
    throw OperationError(j["error"].get<std::string>());
  }
  return j["result"];
}

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
  if (o.pin < 0 || o.pin > 32767) throw InputError("--pin: priority out of range");
}

void assertions(nlohmann::json& r, const UpgradeOptions& o) {
  nlohmann::json list = nlohmann::json::array();
  auto add = [&](const std::string& what, bool pass, const std::string& detail) {
    list.push_back({{"assertion", what}, {"pass", pass}, {"detail", detail}});
  };
  const auto& fv = r["final_versions"];
  for (const auto& p : o.expect_installed)
    add("installed " + p, fv.contains(p), fv.contains(p) ? fv[p].get<std::string>() : "not installed");
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

}  // namespace

nlohmann::json run_upgrade_check(const UpgradeOptions& in) {
  UpgradeOptions o = in;
  validate(o);
  TempDir tmp;
  std::string root;
  if (!o.keep_root.empty()) {
    std::filesystem::create_directories(o.keep_root);
    root = std::filesystem::absolute(o.keep_root).string();
  } else {
    std::string templ = std::filesystem::temp_directory_path().string() + "/hapkg-upgrade.XXXXXX";
    if (!::mkdtemp(templ.data())) throw_errno("mkdtemp");
    tmp.path = root = templ;
  }
  if (!o.installed.empty()) {
    std::string old_root = root + "/old-root";
    build_sandbox_root(old_root, o, "old");
    auto c = in_child([&] {
      std::string ext;
      std::string status = install_closure(old_root, o, ext);
      return nlohmann::json{{"status", status}, {"extended_states", ext}};
    });
    std::filesystem::remove_all(old_root);
    std::string status_file = root + "/closure-status";
    write_file_atomic(status_file, c["status"].get<std::string>());
    o.status = status_file;
    build_sandbox_root(root, o, "new");
    write_file_atomic(root + "/var/lib/apt/extended_states", c["extended_states"].get<std::string>());
  } else {
    build_sandbox_root(root, o, "new");
  }
  nlohmann::json r = in_child([&] { return resolve_upgrade(root, o); });
  if (!o.keep_root.empty()) r["root"] = root;
  assertions(r, o);
  return r;
}

}  // namespace hapkg::archive
