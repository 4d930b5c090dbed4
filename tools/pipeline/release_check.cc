#include "pipeline/release_check.h"

#include <sstream>

#include "archive/repo.h"
#include "upgrade/check.h"
#include "util/error.h"
#include "util/process.h"
#include "util/strings.h"

namespace hapkg::pipeline {

namespace {

// apt-get on a sandbox root (its APT_CONFIG), never the machine's apt.
ProcessResult apt_get_on(const std::string& root, const std::vector<std::string>& args) {
  ProcessOptions po;
  po.env = std::vector<std::string>{"APT_CONFIG=" + root + "/apt.conf", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                                    "LC_ALL=C"};
  std::vector<std::string> argv{"apt-get", "-s", "-q"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, po);
}

// apt-get's explanation of a refused install: the lines after "The
// following packages have unmet dependencies:", joined.
std::string apt_reason(const std::string& out) {
  std::istringstream in(out);
  std::string why;
  bool on = false;
  for (std::string l; std::getline(in, l);) {
    if (l.find("unmet dependencies") != std::string::npos) on = true;
    else if (on && !trim(l).empty()) why += (why.empty() ? "" : "; ") + trim(l);
  }
  return why;
}

std::string joined(const nlohmann::json& list) {
  std::string out;
  for (const auto& x : list) out += (out.empty() ? "" : "; ") + x.get<std::string>();
  return out;
}

std::set<std::string> packages_of(const nlohmann::json& list) {
  std::set<std::string> out;
  for (const auto& x : list) out.insert(x["package"].get<std::string>());
  return out;
}

// "(an archive package)" or "(not so without the archive)": why a problem is the archive's.
std::string cause(const std::string& pkg, const std::set<std::string>& ours) {
  return ours.count(pkg) ? " (an archive package)" : " (not so on the same upgrade without the archive)";
}

}  // namespace

std::vector<std::string> cross_check_installs(const nlohmann::json& report, const std::string& root) {
  std::vector<std::string> out;
  for (const auto& x : report.value("ppa_install", nlohmann::json::array())) {
    std::string pv = x["package"].get<std::string>() + " " + x["version"].get<std::string>();
    ProcessResult r = apt_get_on(root, {"install", x["package"].get<std::string>() + "=" + x["version"].get<std::string>()});
    bool apt_ok = r.exit_status == 0;
    bool ours = x["installable"].get<bool>();
    if (apt_ok != ours)
      out.push_back("archive package " + pv + ": apt-get -s install " + (apt_ok ? "installs it" : "refuses it") +
                    " but upgrade-check says " + (ours ? "installable" : "not installable"));
    else if (!ours)
      out.push_back("archive package " + pv + " is not installable on an old-release node: " + joined(x["unmet"]) +
                    " (apt-get: " + apt_reason(r.out) + ")");
  }
  return out;
}

std::vector<std::string> release_blockers(const nlohmann::json& a, const nlohmann::json& b,
                                          const std::set<std::string>& ours) {
  std::vector<std::string> out;
  if (!a.value("resolver_ok", false) && b.value("resolver_ok", false))
    out.push_back("apt's resolver fails with the archive: " + a.value("resolver_errors", std::string("no error text")));
  auto removed = packages_of(b["removed"]), held = packages_of(b["held"]), broken = packages_of(b["broken"]);
  for (const auto& x : a["removed"]) {
    std::string p = x["package"];
    if (ours.count(p) || !removed.count(p))
      out.push_back("removed: " + p + " " + x["version"].get<std::string>() + cause(p, ours));
  }
  for (const auto& x : a["held"]) {
    std::string p = x["package"];
    if (ours.count(p) || !held.count(p))
      out.push_back("held back: " + p + " " + x["installed"].get<std::string>() + " (candidate " +
                    x["candidate"].get<std::string>() + ")" + cause(p, ours));
  }
  for (const auto& x : a["broken"]) {
    std::string p = x["package"];
    if (ours.count(p) || !broken.count(p)) out.push_back("broken: " + p + " (" + joined(x["unmet"]) + ")" + cause(p, ours));
  }
  for (const auto& x : a.value("ppa_not_below_new", nlohmann::json::array()))
    out.push_back(x["package"].get<std::string>() + ": the archive's " + x["ppa"].get<std::string>() +
                  " is not below the next release's " + x["release"].get<std::string>() +
                  " (the release upgrade keeps the archive's package)");
  return out;
}

ReleaseProof prove_release_upgrade(const SeriesEntry& s, const std::string& archive, const std::string& status,
                                   const std::string& root) {
  upgrade::UpgradeOptions a;
  a.name = s.name + " -> next release: the node upgraded with the archive, archive kept";
  a.status = status;
  a.extended_states = status + ".extended_states";
  a.new_indices = s.next_release;
  a.ppa_indices = {archive};
  a.ppa_suite = s.name;
  a.keep_root = root;
  upgrade::UpgradeOptions b;
  b.name = s.name + " -> next release: the same node without the archive (baseline)";
  b.installed = s.ha_stack;
  b.old_indices = s.old_release;
  b.new_indices = s.next_release;
  auto reports = upgrade::run_upgrade_checks({a, b});
  for (const auto& r : reports)
    if (int code = upgrade::report_error_code(r); code != 0)
      throw Error(code == 2 ? Exit::kUsage : Exit::kFailure,
                  "release upgrade check: " + r["error"].get<std::string>());
  ReleaseProof p;
  p.with_archive = reports[0];
  p.baseline = reports[1];
  std::set<std::string> ours;
  for (const auto& e : archive::list_entries(archive, s.name))
    if (e.kind == "deb") ours.insert(e.package);
  p.blockers = release_blockers(p.with_archive, p.baseline, ours);
  // The real apt-get on the same root must remove exactly what upgrade-check says.
  ProcessResult r = apt_get_on(p.with_archive["root"].get<std::string>(), {"dist-upgrade"});
  if (r.exit_status != 0) p.blockers.push_back("apt-get -s dist-upgrade to the next release failed: " + trim(r.err));
  std::set<std::string> apt_removed;
  std::istringstream in(r.out);
  for (std::string l; std::getline(in, l);)
    if (l.rfind("Remv ", 0) == 0) {
      p.apt_get.push_back(l);
      std::istringstream w(l.substr(5));
      std::string pkg;
      w >> pkg;
      apt_removed.insert(pkg);
    }
  if (apt_removed != packages_of(p.with_archive["removed"]))
    p.blockers.push_back("apt-get -s dist-upgrade removes " + std::to_string(apt_removed.size()) +
                         " packages, upgrade-check " + std::to_string(p.with_archive["removed"].size()));
  p.ok = p.blockers.empty();
  return p;
}

}  // namespace hapkg::pipeline
