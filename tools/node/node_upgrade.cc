#include "node/node_upgrade.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <optional>
#include <sstream>

#include "build/binary_build.h"
#include "build/chroot_session.h"
#include "deb/deb822.h"
#include "upgrade/check.h"
#include "upgrade/root.h"
#include "util/error.h"
#include "util/file.h"
#include "util/process.h"
#include "util/strings.h"

namespace hapkg::node {
namespace fs = std::filesystem;

std::map<std::string, std::string> installed_packages(const std::string& status_text, const std::string& file,
                                                      const std::string& native) {
  std::map<std::string, std::string> out;
  auto doc = deb::parse_deb822(status_text, file, deb::Deb822Kind::kGeneric);
  for (const auto& p : doc.paragraphs) {
    std::string name = p.get("Package"), status = p.get("Status");
    if (name.empty() || status.empty()) throw InputError(file, p.line, "stanza without Package or Status");
    std::string state = status.substr(status.rfind(' ') + 1);
    if (state == "not-installed" || state == "config-files") continue;
    std::string arch = p.get("Architecture");
    if (!arch.empty() && arch != "all" && arch != native) name += ":" + arch;
    out[name] = p.get("Version");
  }
  return out;
}

StatusDiff diff_status(const std::map<std::string, std::string>& before,
                       const std::map<std::string, std::string>& after) {
  StatusDiff d;
  for (const auto& [p, v] : before) {
    auto a = after.find(p);
    if (a == after.end()) d.removed.push_back({p, v, ""});
    else if (a->second != v) d.upgraded.push_back({p, v, a->second});
  }
  for (const auto& [p, v] : after)
    if (!before.count(p)) d.installed.push_back({p, "", v});
  return d;  // std::map order: already sorted by package
}

namespace {

std::string names(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
  return out;
}

// "what" -> (package -> version after, "" for a removal) of one category.
void compare_one(const std::string& what, const std::map<std::string, std::string>& predicted,
                 const std::map<std::string, std::string>& real, std::vector<std::string>& out) {
  std::vector<std::string> only_predicted, only_real, other_version;
  for (const auto& [p, v] : predicted) {
    auto r = real.find(p);
    if (r == real.end()) only_predicted.push_back(p + (v.empty() ? "" : " " + v));
    else if (r->second != v) other_version.push_back(p + " (predicted " + v + ", dpkg has " + r->second + ")");
  }
  for (const auto& [p, v] : real)
    if (!predicted.count(p)) only_real.push_back(p + (v.empty() ? "" : " " + v));
  if (!only_predicted.empty())
    out.push_back(what + " predicted by upgrade-check but not by the real upgrade: " + names(only_predicted));
  if (!only_real.empty()) out.push_back(what + " by the real upgrade but not predicted: " + names(only_real));
  if (!other_version.empty()) out.push_back(what + " at another version than predicted: " + names(other_version));
}

}  // namespace

std::vector<std::string> compare_prediction(const nlohmann::json& report, const StatusDiff& real) {
  std::map<std::string, std::string> pu, pi, pr, ru, ri, rr;
  for (const char* k : {"upgraded", "downgraded"})
    for (const auto& x : report.value(k, nlohmann::json::array())) pu[x["package"]] = x["to"];
  for (const auto& x : report.value("new", nlohmann::json::array())) pi[x["package"]] = x["version"];
  for (const auto& x : report.value("removed", nlohmann::json::array())) pr[x["package"]] = "";
  for (const auto& c : real.upgraded) ru[c.package] = c.to;
  for (const auto& c : real.installed) ri[c.package] = c.to;
  for (const auto& c : real.removed) rr[c.package] = "";
  std::vector<std::string> out;
  compare_one("upgraded", pu, ru, out);
  compare_one("installed", pi, ri, out);
  compare_one("removed", pr, rr, out);
  return out;
}

std::vector<DpkgError> dpkg_errors(const std::string& apt_output) {
  std::vector<DpkgError> out;
  std::istringstream in(apt_output);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    std::string pkg;
    static const std::string archive = "dpkg: error processing archive ", package = "dpkg: error processing package ",
                             deps = "dpkg: dependency problems prevent configuration of ";
    if (l.rfind(archive, 0) == 0) {
      // ".../pool/crmsh_99_all.deb (--unpack):": the package is the file's name up to '_'
      std::string path = l.substr(archive.size());
      path = path.substr(0, path.find(' '));
      std::string base = path.substr(path.rfind('/') + 1);
      pkg = base.substr(0, base.find('_'));
    } else if (l.rfind(package, 0) == 0) {
      std::string rest = l.substr(package.size());
      pkg = rest.substr(0, rest.find(' '));
    } else if (l.rfind(deps, 0) == 0) {
      std::string rest = l.substr(deps.size());
      pkg = rest.substr(0, rest.find(':') == std::string::npos ? rest.size() : rest.rfind(':'));
    } else {
      continue;
    }
    if (auto c = pkg.find(':'); c != std::string::npos) pkg = pkg.substr(0, c);  // pcs:amd64
    std::string msg = i + 1 < lines.size() ? trim(lines[i + 1]) : "";
    out.push_back({pkg, msg});
  }
  return out;
}

std::vector<std::string> leftover_files(const std::vector<std::string>& listed, const std::string& root,
                                        const std::set<std::string>& owned) {
  std::vector<std::string> out;
  for (const auto& p : listed) {
    if (p.empty() || p[0] != '/' || p == "/." || owned.count(p)) continue;
    std::error_code ec;
    auto st = fs::symlink_status(root + p, ec);
    if (ec || !fs::exists(st)) continue;
    out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::set<std::string> owned_paths(const std::string& root) {
  std::set<std::string> out;
  std::string info = root + "/var/lib/dpkg/info";
  if (!fs::is_directory(info)) return out;
  for (const auto& e : fs::directory_iterator(info)) {
    if (e.path().extension() != ".list") continue;
    std::istringstream in(read_file(e.path()));
    for (std::string l; std::getline(in, l);)
      if (!l.empty()) out.insert(l);
  }
  return out;
}

std::map<std::string, std::string> package_lists(const std::string& root) {
  std::map<std::string, std::string> out;
  std::string lists = root + "/var/lib/apt/lists";
  for (const auto& e : fs::directory_iterator(lists)) {
    std::string n = e.path().filename();
    if (n.find("_Packages") == std::string::npos) continue;
    // apt symlinks an uncompressed file: index to its source, by its path
    // inside the chroot: follow that link within the root.
    fs::path f = e.path();
    if (fs::is_symlink(f)) {
      fs::path target = fs::read_symlink(f);
      f = target.is_absolute() ? fs::path(root + target.string()) : f.parent_path() / target;
    }
    if (fs::is_regular_file(f)) out[n] = f.string();
  }
  return out;
}

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (!trim(l).empty()) out.push_back(trim(l));
  return out;
}

// apt's last "E: " line (the reason it gives), or the first line of `err`.
std::string apt_error(const ProcessResult& r) {
  std::string last;
  for (const auto& l : lines_of(r.out + "\n" + r.err))
    if (l.rfind("E: ", 0) == 0) last = l;
  return last.empty() ? first_line(r.err) : last;
}

bool agent_name_ok(const std::string& a) {
  bool ok = !a.empty() && a[0] != '.' && a[0] != '-';
  for (char c : a) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
  return ok;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

const char* kArchiveInside = "/srv/hapkg-archive";
// apt's list-file name prefix of file:/srv/hapkg-archive (URItoFileName).
const char* kArchiveListPrefix = "_srv_hapkg-archive_";

}  // namespace

namespace {

using Clock = std::chrono::steady_clock;

// One node upgrade's shared state: the options, the work directory, the
// failures found so far and result.json being filled in.
struct Run {
  const NodeUpgradeOptions& o;
  std::string work;
  Clock::time_point t0 = Clock::now();
  NodeUpgradeResult res;
  nlohmann::json& j = res.json;

  explicit Run(const NodeUpgradeOptions& options) : o(options) {}
  void fail(const std::string& why) { res.failures.push_back(why); }
  // Runs `step` and times it into result.json's phases.
  template <typename F>
  auto timed(const char* phase, F step) {
    auto t = Clock::now();
    auto r = step();
    j["phases"][phase] = seconds_since(t);
    return r;
  }
  NodeUpgradeResult finish() {
    res.ok = res.failures.empty();
    j["ok"] = res.ok;
    j["failures"] = res.failures;
    j["seconds"] = seconds_since(t0);
    write_file_atomic(work + "/result.json", j.dump(2) + "\n");
    return res;
  }
};

std::string release_file(const NodeUpgradeOptions& o) { return o.archive + "/dists/" + o.series + "/Release"; }

void check_options(const NodeUpgradeOptions& o) {
  std::string release = release_file(o);
  if (!fs::is_regular_file(release)) throw InputError(release, 0, "missing (not an archive of this series?)");
  if (!fs::is_regular_file(o.key)) throw InputError(o.key, 0, "no such key file");
  if (o.work_dir.empty() || o.cache_dir.empty()) throw InputError("node upgrade: work and cache directories are needed");
  if (o.packages.empty()) throw InputError("node upgrade: no packages for the node");
}

// The old release with the HA stack (mmdebstrap --variant=apt, cached).
build::Chroot node_tarball(Run& run) {
  build::ChrootSpec spec{run.o.series, run.o.mirror, run.o.cache_dir};
  spec.variant = "apt";
  spec.include = run.o.packages;
  build::Chroot chroot = run.timed("tarball", [&] { return build::ensure_chroot(spec); });
  run.j["node_tarball"] = chroot.tarball;
  run.j["node_key"] = chroot.key;
  return chroot;
}

// The archive as the pipeline publishes it, verified by apt with its key.
bool add_archive(build::ChrootSession& s, Run& run) {
  const NodeUpgradeOptions& o = run.o;
  std::string release = release_file(o);
  auto rel = deb::read_deb822(release, deb::Deb822Kind::kRelease);
  std::string components = rel.paragraphs.empty() ? "" : rel.paragraphs.front().get("Components");
  if (components.empty()) throw InputError(release, 0, "no Components");
  s.copy_in(fs::absolute(o.archive), kArchiveInside);
  bool armored = read_file(o.key).rfind("-----BEGIN PGP", 0) == 0;
  std::string key_inside = std::string("/etc/apt/keyrings/hapkg-archive.") + (armored ? "asc" : "gpg");
  s.copy_in(fs::absolute(o.key), key_inside);
  write_file_atomic(s.host_path("/etc/apt/sources.list.d/hapkg-archive.list"),
                    "deb [signed-by=" + key_inside + "] file:" + kArchiveInside + " " + o.series + " " + components +
                        "\n");
  if (!fs::exists(s.host_path("/etc/resolv.conf")) && fs::exists("/etc/resolv.conf"))
    s.copy_in("/etc/resolv.conf", "/etc/resolv.conf");  // apt-get update reaches the mirror
  auto t = Clock::now();
  auto r = s.run_result("update", {"apt-get", "-q", "update"});
  // apt 2.6 exits 0 on some fetch failures, but says so with "W:"/"E:" lines
  if (r.exit_status != 0 || (r.out + r.err).find("E: ") != std::string::npos) {
    run.fail("apt-get update in the node failed: " + apt_error(r));
    return false;
  }
  run.j["phases"]["update"] = seconds_since(t);
  return true;
}

// The node before: its dpkg status and apt's auto flags, and the lists it
// has (copied: the chroot goes away, the prediction's inputs stay with the
// result), as upgrade-check's inputs.
std::optional<upgrade::UpgradeOptions> node_before(build::ChrootSession& s, Run& run, const std::string& native) {
  std::string status_before = run.work + "/status.before";
  write_file_atomic(status_before, read_file(s.host_path("/var/lib/dpkg/status")));
  std::string ext = s.host_path("/var/lib/apt/extended_states");
  write_file_atomic(status_before + ".extended_states", fs::exists(ext) ? read_file(ext) : "");

  upgrade::UpgradeOptions u;
  u.name = "real node: " + run.o.series + " + archive";
  u.status = status_before;
  u.extended_states = status_before + ".extended_states";
  u.architectures = {native};
  std::string lists = s.host_path("/var/lib/apt/lists");
  std::string all_lists;
  for (const auto& e : fs::directory_iterator(lists)) all_lists += (all_lists.empty() ? "" : " ") + e.path().filename().string();
  fs::create_directories(run.work + "/lists");
  for (const auto& [n, f] : package_lists(s.root())) {
    std::string copy = run.work + "/lists/" + n;
    fs::copy_file(f, copy, fs::copy_options::overwrite_existing);
    (n.rfind(kArchiveListPrefix, 0) == 0 ? u.ppa_indices : u.new_indices).push_back(copy);
  }
  if (u.ppa_indices.empty()) {
    run.fail("the node's apt has no index of the archive after apt-get update (lists: " + all_lists + ")");
    return std::nullopt;
  }
  return u;
}

// upgrade-check's answer for that node (an error in it is hapkg's error).
nlohmann::json predict(const upgrade::UpgradeOptions& u, Run& run) {
  nlohmann::json prediction = run.timed("prediction", [&] { return upgrade::run_upgrade_check(u); });
  write_file_atomic(run.work + "/prediction.json", prediction.dump(2) + "\n");
  if (int code = upgrade::report_error_code(prediction); code != 0)
    throw Error(code == 2 ? Exit::kUsage : Exit::kFailure,
                "upgrade-check on the node's status: " + prediction.value("error", std::string("failed")));
  run.j["predicted"] = {{"upgraded", prediction["upgraded"].size()}, {"new", prediction["new"].size()},
                        {"removed", prediction["removed"].size()}};
  return prediction;
}

// The real apt-get dist-upgrade, its changes against the prediction, and
// dpkg --audit. False when the upgrade itself failed.
bool real_upgrade(build::ChrootSession& s, Run& run, const nlohmann::json& prediction,
                  const upgrade::UpgradeOptions& before, const std::string& native) {
  auto r = run.timed("dist-upgrade", [&] {
    return s.run_result("dist-upgrade", {"apt-get", "-q", "-y", "-o", "Dpkg::Options::=--force-confdef", "-o",
                                         "Dpkg::Options::=--force-confold", "dist-upgrade"});
  });
  write_file_atomic(run.work + "/upgrade.log", r.out + (r.err.empty() ? "" : "--- stderr ---\n" + r.err));
  if (r.exit_status != 0) {
    auto errors = dpkg_errors(r.out + "\n" + r.err);
    nlohmann::json je = nlohmann::json::array();
    for (const auto& e : errors) {
      run.fail("dpkg: " + e.package + ": " + e.message);
      je.push_back({{"package", e.package}, {"message", e.message}});
    }
    run.j["dpkg_errors"] = je;
    if (errors.empty())
      run.fail("apt-get dist-upgrade failed (exit " + std::to_string(r.exit_status) + "): " + apt_error(r));
    return false;
  }
  std::string status_after = run.work + "/status.after";
  write_file_atomic(status_after, read_file(s.host_path("/var/lib/dpkg/status")));
  auto diff = diff_status(installed_packages(read_file(before.status), before.status, native),
                          installed_packages(read_file(status_after), status_after, native));
  run.j["real"] = {{"upgraded", diff.upgraded.size()}, {"installed", diff.installed.size()},
                   {"removed", diff.removed.size()}};
  for (const auto& c : diff.installed) run.j["real_installed"].push_back(c.package + " " + c.to);
  for (const auto& c : diff.removed) run.j["real_removed"].push_back(c.package + " " + c.from);
  for (const auto& line : compare_prediction(prediction, diff)) run.fail(line);

  r = s.run_result("audit", {"dpkg", "--audit"});
  if (r.exit_status != 0 || !trim(r.out).empty())
    run.fail("dpkg --audit after the upgrade: " + first_line(trim(r.out).empty() ? r.err : trim(r.out)));
  return true;
}

// crm_resource lists the provider's agents; each one's meta-data validates
// against the node's ra-api-1.dtd.
void check_agents(build::ChrootSession& s, Run& run) {
  const std::string& provider = run.o.agents_provider;
  auto r = s.run_result("agents", {"crm_resource", "--list-agents", "ocf:" + provider});
  auto agents = lines_of(r.out);
  run.j["agents"] = agents;
  if (r.exit_status != 0 || agents.empty())
    run.fail("crm_resource --list-agents ocf:" + provider + " lists no agent (exit " + std::to_string(r.exit_status) +
             "): " + first_line(r.err));
  std::string dtd;
  for (const char* d : {"/usr/share/resource-agents/ra-api-1.dtd", "/usr/share/pacemaker/ra-api-1.dtd",
                        "/usr/lib/ocf/ra-api-1.dtd"})
    if (dtd.empty() && fs::is_regular_file(s.host_path(d))) dtd = s.host_path(d);
  if (!agents.empty() && dtd.empty()) run.fail("no ra-api-1.dtd in the node (resource-agents, pacemaker)");
  fs::create_directories(run.work + "/meta-data");
  for (const auto& a : agents) {
    if (!agent_name_ok(a) || dtd.empty()) {
      if (!agent_name_ok(a)) run.fail("crm_resource listed an agent name that is not a file name: " + a);
      continue;
    }
    std::string path = "/usr/lib/ocf/resource.d/" + provider + "/" + a;
    auto m = s.run_result("meta-data " + a, {"env", "OCF_ROOT=/usr/lib/ocf", path, "meta-data"});
    std::string xml = run.work + "/meta-data/" + a + ".xml";
    write_file_atomic(xml, m.out);
    if (m.exit_status != 0) {
      run.fail("ocf:" + provider + ":" + a + " meta-data exits " + std::to_string(m.exit_status));
      continue;
    }
    auto v = run_process({"xmllint", "--noout", "--dtdvalid", dtd, xml});
    if (v.exit_status != 0)
      run.fail("ocf:" + provider + ":" + a + " meta-data does not validate against ra-api-1.dtd: " +
               first_line(v.err));
  }
  run.j["dtd"] = dtd.empty() ? "" : dtd.substr(s.root().size());
}

// apt-get purge of the package leaves none of its files and dpkg forgets it.
void check_purge(build::ChrootSession& s, Run& run) {
  const std::string& pkg = run.o.purge;
  auto r = s.run_result("dpkg -L", {"dpkg-query", "-L", pkg});
  if (r.exit_status != 0) {
    run.fail(pkg + " is not installed after the upgrade");
    return;
  }
  auto listed = lines_of(r.out);
  r = s.run_result("purge", {"apt-get", "-q", "-y", "purge", pkg});
  if (r.exit_status != 0) {
    for (const auto& e : dpkg_errors(r.out + "\n" + r.err)) run.fail("dpkg: " + e.package + ": " + e.message);
    run.fail("apt-get purge " + pkg + " failed: " + apt_error(r));
    return;
  }
  auto left = leftover_files(listed, s.root(), owned_paths(s.root()));
  run.j["purge"] = {{"package", pkg}, {"listed", listed.size()}, {"left", left}};
  if (!left.empty()) {
    std::vector<std::string> first(left.begin(), left.begin() + std::min<std::size_t>(left.size(), 10));
    run.fail("purge of " + pkg + " left " + std::to_string(left.size()) + " of its files behind: " + names(first));
  }
  r = s.run_result("status after purge", {"dpkg-query", "-W", "-f", "${db:Status-Abbrev}", pkg});
  std::string st = trim(r.out);
  if (r.exit_status == 0 && st.size() >= 2 && st[1] != 'n')
    run.fail(pkg + " is still known to dpkg after the purge (status " + st + ")");
}

}  // namespace

NodeUpgradeResult upgrade_node(const NodeUpgradeOptions& o) {
  Run run(o);
  check_options(o);
  fs::create_directories(o.work_dir);
  run.work = fs::absolute(o.work_dir);

  build::Chroot chroot = node_tarball(run);
  auto t = Clock::now();
  build::ChrootSession s(chroot.tarball, run.work + "/node.log");
  run.j["phases"]["unpack"] = seconds_since(t);
  if (!add_archive(s, run)) return run.finish();

  std::string native = trim(run_process({"dpkg", "--print-architecture"}).out);
  auto before = node_before(s, run, native);
  if (!before) return run.finish();
  nlohmann::json prediction = predict(*before, run);
  if (!real_upgrade(s, run, prediction, *before, native)) return run.finish();
  if (!o.agents_provider.empty()) check_agents(s, run);
  if (!o.purge.empty()) check_purge(s, run);
  return run.finish();
}

}  // namespace hapkg::node
