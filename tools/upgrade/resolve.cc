#include "upgrade/resolve.h"

#include <apt-pkg/algorithms.h>
#include <apt-pkg/cachefile.h>
#include <apt-pkg/configuration.h>
#include <apt-pkg/depcache.h>
#include <apt-pkg/error.h>
#include <apt-pkg/init.h>
#include <apt-pkg/packagemanager.h>
#include <apt-pkg/pkgrecords.h>
#include <apt-pkg/policy.h>
#include <apt-pkg/pkgsystem.h>
#include <apt-pkg/tagfile.h>
#include <apt-pkg/upgrade.h>
#include <apt-pkg/version.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string_view>
#include <tuple>

#include "deb/apt_init.h"
#include "upgrade/inputs.h"
#include "deb/version.h"
#include "upgrade/why_not_installed.h"
#include "util/error.h"
#include "util/file.h"

namespace hapkg::upgrade {
namespace {

void init_apt(const std::string& root, const UpgradeOptions& o, bool share_cache) {
  ::unsetenv("APT_CONFIG");
  _config->Set("Dir", root + "/");
  pkgInitConfig(*_config);
  _config->Set("Dir::State::status", root + "/var/lib/dpkg/status");
  _config->Set("Dir::Cache::pkgcache", "");
  if (!share_cache) _config->Set("Dir::Cache::srcpkgcache", "");
  _config->Set("APT::Architecture", o.architectures.front());
  _config->Clear("APT::Architectures");
  for (const auto& a : o.architectures) _config->Set("APT::Architectures::", a);
  _config->Set("Debug::NoLocking", true);
  // The ordering check goes through pkgPackageManager, which otherwise dumps
  // the whole plan as an xz-compressed EIPP log (var/log/apt/eipp.log.xz):
  // ~15% of a check's CPU time for a file nobody reads.
  _config->Set("Dir::Log::Planner", "");
  if (!pkgInitSystem(*_config, _system)) throw OperationError("apt: " + deb::take_apt_errors());
}

std::unique_ptr<pkgCacheFile> open_cache(const UpgradeOptions& o) {
  auto cf = std::make_unique<pkgCacheFile>();
  if (!cf->Open(nullptr, false) || _error->PendingError()) {
    std::string apt = deb::take_apt_errors();
    throw InputError(explain_unreadable_input(_config->FindDir("Dir::State::lists"),
                                              _config->FindFile("Dir::State::status"), o.status, apt));
  }
  return cf;
}

std::string name(pkgCache::PkgIterator p) { return p.FullName(true); }

// One alternative of a relation as Debian writes it: apt's CompType says
// "<" and ">" for dpkg's "<<" and ">>".
std::string relation_text(pkgCache::DepIterator d) {
  std::string out = d.TargetPkg().FullName(true);
  if (!d.TargetVer()) return out;
  std::string op = d.CompType();
  if (op == "<" || op == ">") op += op;
  return out + " (" + op + " " + d.TargetVer() + ")";
}

// The unmet important dependencies of a package's install version.
nlohmann::json unmet(pkgDepCache& dc, pkgCache::PkgIterator p) {
  nlohmann::json out = nlohmann::json::array();
  auto ver = dc[p].InstVerIter(dc);
  if (ver.end()) return out;
  for (auto d = ver.DependsList(); !d.end();) {
    pkgCache::DepIterator start, end;
    d.GlobOr(start, end);
    if (!dc.IsImportantDep(end) || (dc[end] & pkgDepCache::DepGInstall)) continue;
    std::string rel;
    for (auto s = start;; ++s) {
      rel += (rel.empty() ? "" : " | ") + relation_text(s);
      if (s == end) break;
    }
    out.push_back(std::string(end.DepType()) + ": " + rel);
  }
  std::sort(out.begin(), out.end());
  return out;
}

void sort_by_package(nlohmann::json& list) {
  std::sort(list.begin(), list.end(),
            [](const nlohmann::json& a, const nlohmann::json& b) { return a["package"] < b["package"]; });
}

// apt-get's DoAutomaticRemove without AutomaticRemove: new installs that are
// already garbage are dropped, unless something staying needs them.
void drop_garbage_new_installs(pkgDepCache& dc, pkgCache& cache) {
  pkgDepCache::ActionGroup group(dc);
  dc.MarkAndSweep();
  std::vector<pkgCache::PkgIterator> too_much;
  for (auto p = cache.PkgBegin(); !p.end(); ++p)
    if (dc[p].Garbage && dc[p].Install() && p.CurrentVer().end()) {
      too_much.push_back(p);
      dc.MarkDelete(p, false, 0, false);
    }
  if (too_much.empty() || (dc.BrokenCount() == 0 && dc.PolicyBrokenCount() == 0)) return;
  for (bool changed = true; changed;) {
    changed = false;
    for (auto it = too_much.begin(); it != too_much.end() && !changed; ++it) {
      std::vector<pkgCache::PkgIterator> too{*it};
      auto cand = dc[*it].CandidateVerIter(dc);
      if (!cand.end())
        for (auto prv = cand.ProvidesList(); !prv.end(); ++prv) too.push_back(prv.ParentPkg());
      for (auto& P : too) {
        for (auto r = P.RevDependsList(); !r.end() && !changed; ++r) {
          if (r.IsNegative() || !dc.IsImportantDep(r)) continue;
          auto rv = r.ParentVer();
          if (rv.end()) continue;
          auto rp = rv.ParentPkg();
          if (rp.CurrentVer() == rv) {
            if (!dc[rp].Keep()) continue;
          } else if (dc[rp].CandidateVerIter(dc) == rv) {
            if (!dc[rp].NewInstall() && !dc[rp].Upgrade()) continue;
          } else {
            continue;
          }
          dc.MarkInstall(*it, false, 0, false);
          too_much.erase(it);
          changed = true;
        }
        if (changed) break;
      }
    }
  }
}

// Ordering without acting: the real pkgPackageManager ordering with no-op
// actions (cheap replacement for pkgSimulate).
class OrderOnly : public pkgPackageManager {
 public:
  explicit OrderOnly(pkgDepCache* dc) : pkgPackageManager(dc) {
    // as pkgSimulate does: every package "has" an archive file
    for (auto p = dc->GetCache().PkgBegin(); !p.end(); ++p) FileNames[p->ID] = "/dev/null";
  }
  OrderResult order() { return OrderInstall(); }

 protected:
  bool Install(PkgIterator, std::string) override { return true; }
  bool Configure(PkgIterator) override { return true; }
  bool Remove(PkgIterator, bool) override { return true; }
};

bool from_archive(pkgCache::VerIterator v) {
  for (auto vf = v.FileList(); !vf.end(); ++vf)
    if (!vf.File().Flagged(pkgCache::Flag::NotSource)) return true;
  return false;
}

// The PPA an index file comes from: place_index gives each --ppa a Release
// with Origin "ppa<N>"; -1 for other files.
int ppa_number(pkgCache::PkgFileIterator f) {
  const char* origin = f.Origin();
  if (origin == nullptr || std::string_view(origin).substr(0, 3) != "ppa") return -1;
  try {
    return std::stoi(origin + 3);
  } catch (const std::exception&) {
    return -1;
  }
}

int ppa_of(pkgCache::VerIterator v) {
  for (auto vf = v.FileList(); !vf.end(); ++vf)
    if (int n = ppa_number(vf.File()); n >= 0) return n;
  return -1;
}

// Whether `v` can be installed from the archives in this root: every
// Depends/Pre-Depends or-group has an archive version satisfying it that is
// itself installable (recursively; a cycle counts as installable). Conflicts
// are left to the resolver. `unmet` gets the or-groups nothing satisfies.
bool installable(pkgCache::VerIterator v, std::map<unsigned long, bool>& memo, std::vector<std::string>* unmet) {
  if (auto m = memo.find(v->ID); m != memo.end() && !unmet) return m->second;
  memo[v->ID] = true;  // assume while visiting (cycles)
  bool ok = true;
  for (auto d = v.DependsList(); !d.end();) {
    pkgCache::DepIterator start, end;
    d.GlobOr(start, end);
    if (end->Type != pkgCache::Dep::Depends && end->Type != pkgCache::Dep::PreDepends) continue;
    bool met = false;
    std::string rel;
    for (auto alt = start;; ++alt) {
      std::unique_ptr<pkgCache::Version*[]> targets(alt.AllTargets());
      for (auto t = targets.get(); *t != nullptr && !met; ++t) {
        pkgCache::VerIterator tv(*v.Cache(), *t);
        met = from_archive(tv) && installable(tv, memo, nullptr);
      }
      rel += (rel.empty() ? "" : " | ") + relation_text(alt);
      if (alt == end || met) break;
    }
    if (!met) {
      ok = false;
      if (!unmet) break;
      unmet->push_back(std::string(end.DepType()) + ": " + rel);
    }
  }
  memo[v->ID] = ok;
  return ok;
}

// Every PPA package version that cannot be installed on the new release
// (+ the PPAs), with the relations nothing satisfies; sorted.
nlohmann::json ppa_uninstallable(pkgCache& cache, const UpgradeOptions& o) {
  nlohmann::json out = nlohmann::json::array();
  std::map<unsigned long, bool> memo;
  for (auto p = cache.PkgBegin(); !p.end(); ++p)
    for (auto v = p.VersionList(); !v.end(); ++v) {
      int n = ppa_of(v);
      if (n < 0 || installable(v, memo, nullptr)) continue;
      std::vector<std::string> unmet;
      installable(v, memo, &unmet);
      std::sort(unmet.begin(), unmet.end());
      out.push_back({{"package", name(p)}, {"version", v.VerStr()}, {"architecture", v.Arch()},
                     {"ppa", static_cast<std::size_t>(n) < o.ppa_indices.size() ? o.ppa_indices[n] : ""},
                     {"unmet", unmet}});
    }
  std::sort(out.begin(), out.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return std::tie(a["package"], a["version"]) < std::tie(b["package"], b["version"]);
  });
  return out;
}

// apt-get install PKG=VERSION on the node as it is (before the upgrade),
// each PPA package on a depcache of its own: apt's two marking passes, then
// the problem resolver protecting it, as apt-get's DoInstall. Not
// installable = something stays broken; the reason is apt's unmet
// relations of each broken package ("pkg: Depends: x (>= 1)").
nlohmann::json install_one(pkgCacheFile& cf, pkgCache::PkgIterator p, pkgCache::VerIterator v) {
  pkgDepCache dc(cf.GetPkgCache(), cf.GetPolicy());
  if (!dc.Init(nullptr)) throw OperationError("apt: " + deb::take_apt_errors());
  pkgApplyStatus(dc);
  if (dc.BrokenCount() != 0) pkgFixBroken(dc);
  dc.SetCandidateVersion(v);
  {
    pkgDepCache::ActionGroup group(dc);
    dc.MarkInstall(p, false, 0, true);
    dc.MarkInstall(p, true, 0, true);
  }
  if (dc.BrokenCount() != 0) {
    pkgProblemResolver fix(&dc);
    fix.Protect(p);
    fix.Resolve(true);
  }
  deb::take_apt_errors();
  nlohmann::json reasons = nlohmann::json::array(), removes = nlohmann::json::array();
  for (auto q = dc.GetCache().PkgBegin(); !q.end(); ++q) {
    if (dc[q].InstBroken())
      for (const auto& u : unmet(dc, q)) reasons.push_back(name(q) + ": " + u.get<std::string>());
    if (dc[q].Delete() && !q.CurrentVer().end()) removes.push_back(name(q));
  }
  bool at_version = dc[p].Install() ? dc[p].InstVerIter(dc) == v : p.CurrentVer() == v;
  if (reasons.empty() && !at_version) reasons.push_back(name(p) + ": apt does not install " + v.VerStr());
  return {{"package", name(p)}, {"version", v.VerStr()}, {"architecture", v.Arch()},
          {"installable", dc.BrokenCount() == 0 && at_version}, {"unmet", reasons}, {"removes", removes}};
}

// Every package a PPA holds (its newest PPA version), checked by install_one.
nlohmann::json ppa_install(pkgCacheFile& cf) {
  nlohmann::json out = nlohmann::json::array();
  for (auto p = cf.GetPkgCache()->PkgBegin(); !p.end(); ++p) {
    pkgCache::VerIterator best;  // VersionList is newest first
    for (auto v = p.VersionList(); !v.end() && best.end(); ++v)
      if (ppa_of(v) >= 0) best = v;
    if (!best.end()) out.push_back(install_one(cf, p, best));
  }
  sort_by_package(out);
  return out;
}

// PPA versions not below the new release's version of the same package: a
// release upgrade keeps them (a backport must sort below its release).
nlohmann::json ppa_not_below_new(pkgCache& cache) {
  nlohmann::json out = nlohmann::json::array();
  for (auto p = cache.PkgBegin(); !p.end(); ++p) {
    pkgCache::VerIterator ppa, rel;
    for (auto v = p.VersionList(); !v.end(); ++v) {
      if (ppa_of(v) >= 0 && ppa.end()) ppa = v;
      else if (ppa_of(v) < 0 && from_archive(v) && rel.end()) rel = v;
    }
    if (!ppa.end() && !rel.end() && _system->VS->CmpVersion(ppa.VerStr(), rel.VerStr()) >= 0)
      out.push_back({{"package", name(p)}, {"ppa", ppa.VerStr()}, {"release", rel.VerStr()}});
  }
  sort_by_package(out);
  return out;
}

// --arch naming an architecture the new indices hold nothing for is bad
// input: apt would silently drop every installed package of it.
void require_native_packages(pkgCache& cache, const UpgradeOptions& o) {
  const std::string& native = o.architectures.front();
  for (auto p = cache.PkgBegin(); !p.end(); ++p)
    for (auto v = p.VersionList(); !v.end(); ++v)
      if (from_archive(v) && ppa_of(v) < 0 && native == v.Arch()) return;
  throw InputError(o.new_indices.front(), 0,
                   "no package for architecture '" + native + "' in the new release's indices (--arch)");
}

}  // namespace

void warm_source_cache(const std::string& root, const UpgradeOptions& o) {
  init_apt(root, o, true);
  open_cache(o);
}

struct OpenedCache {
  std::unique_ptr<pkgCacheFile> cf;
};

std::shared_ptr<OpenedCache> open_sandbox(const std::string& root, const UpgradeOptions& o, bool share_cache) {
  init_apt(root, o, share_cache);
  auto c = std::make_shared<OpenedCache>();
  c->cf = open_cache(o);
  return c;
}

nlohmann::json resolve_upgrade(const std::string& root, const UpgradeOptions& o, bool share_cache) {
  return resolve_upgrade(*open_sandbox(root, o, share_cache), o);
}

namespace {

// apt-get's CheckDeps: the state before (counts), broken packages fixed.
nlohmann::json check_deps(pkgDepCache& dc, pkgCache& cache) {
  pkgApplyStatus(dc);
  int now_broken = 0, installed = 0;
  for (auto p = cache.PkgBegin(); !p.end(); ++p) {
    if (!p.CurrentVer().end()) ++installed;
    if (dc[p].NowBroken()) ++now_broken;
  }
  if (dc.BrokenCount() != 0) pkgFixBroken(dc);
  return {{"installed", installed}, {"now_broken", now_broken}};
}

// What replaces a removed package: installs that Provide or Replace it.
std::set<std::string> replaced_by(pkgDepCache& dc, pkgCache::PkgIterator p) {
  std::set<std::string> by;
  for (auto prv = p.ProvidesList(); !prv.end(); ++prv) {
    auto owner = prv.OwnerPkg();
    if (owner != p && dc[owner].Install() && prv.OwnerVer() == dc[owner].InstVerIter(dc))
      by.insert(name(owner) + " (Provides)");
  }
  for (auto d = p.RevDependsList(); !d.end(); ++d) {
    if (d->Type != pkgCache::Dep::Replaces) continue;
    auto owner = d.ParentPkg();
    if (owner != p && dc[owner].Install() && d.ParentVer() == dc[owner].InstVerIter(dc))
      by.insert(name(owner) + " (Replaces)");
  }
  return by;
}

// The report's lists after the resolver ran, each sorted by package.
struct Outcome {
  nlohmann::json upgraded = nlohmann::json::array(), fresh = nlohmann::json::array(),
                 removed = nlohmann::json::array(), held = nlohmann::json::array(),
                 downgraded = nlohmann::json::array(), broken = nlohmann::json::array(),
                 regressions = nlohmann::json::array(), obsolete = nlohmann::json::array(),
                 autoremovable = nlohmann::json::array(), versions = nlohmann::json::object();
};

// Newest archive version below the installed one (a regression), or none at all (obsolete).
void archive_standing(pkgCache::PkgIterator p, const std::string& n, Outcome& out) {
  auto cur = p.CurrentVer();
  pkgCache::VerIterator best;
  for (auto v = p.VersionList(); !v.end(); ++v)
    if (from_archive(v) && (best.end() || _system->VS->CmpVersion(v.VerStr(), best.VerStr()) > 0)) best = v;
  if (best.end()) out.obsolete.push_back({{"package", n}, {"version", cur.VerStr()}});
  else if (_system->VS->CmpVersion(cur.VerStr(), best.VerStr()) > 0)
    out.regressions.push_back({{"package", n}, {"installed", cur.VerStr()}, {"newest", best.VerStr()}});
}

Outcome classify(pkgDepCache& dc, pkgCache& cache, const std::map<unsigned long, std::string>& candidates) {
  Outcome out;
  for (auto p = cache.PkgBegin(); !p.end(); ++p) {
    auto& s = dc[p];
    auto cur = p.CurrentVer();
    if (cur.end() && !s.Install()) continue;  // neither installed nor to be installed: nothing to report
    std::string n = name(p);
    if (s.NewInstall()) {
      out.fresh.push_back({{"package", n}, {"version", s.InstVerIter(dc).VerStr()},
                           {"auto", (s.Flags & pkgCache::Flag::Auto) != 0}});
    } else if (s.Upgrade() && !s.Delete()) {
      out.upgraded.push_back({{"package", n}, {"from", cur.VerStr()}, {"to", s.InstVerIter(dc).VerStr()}});
    } else if (s.Downgrade()) {
      out.downgraded.push_back({{"package", n}, {"from", cur.VerStr()}, {"to", s.InstVerIter(dc).VerStr()}});
    } else if (s.Delete() && !cur.end()) {
      out.removed.push_back({{"package", n}, {"version", cur.VerStr()}, {"replaced_by", replaced_by(dc, p)}});
    }
    auto cand = candidates.find(p->ID);
    if (!cur.end() && cand != candidates.end() && !s.Upgrade() && !s.Delete() && !s.Downgrade())
      out.held.push_back({{"package", n}, {"installed", cur.VerStr()}, {"candidate", cand->second},
                          {"dpkg_hold", p->SelectedState == pkgCache::State::Hold}});
    if (s.InstBroken())
      out.broken.push_back({{"package", n}, {"version", s.InstVerIter(dc).VerStr()}, {"unmet", unmet(dc, p)}});
    if (!cur.end()) archive_standing(p, n, out);
    if (s.Garbage && !s.Delete() && (!cur.end() || s.Install())) out.autoremovable.push_back(n);
    if (!s.Delete())
      if (auto v = s.InstVerIter(dc); !v.end()) out.versions[n] = v.VerStr();
  }
  for (auto* list : {&out.upgraded, &out.fresh, &out.removed, &out.held, &out.downgraded, &out.broken,
                     &out.regressions, &out.obsolete})
    sort_by_package(*list);
  std::sort(out.autoremovable.begin(), out.autoremovable.end());
  return out;
}

// The install ordering of the marked changes (no-op actions).
std::string ordering(pkgDepCache& dc) {
  if (dc.BrokenCount() != 0) return "not run (broken)";
  OrderOnly pm(&dc);
  auto res = pm.order();
  deb::take_apt_errors();
  return res == pkgPackageManager::Completed ? "completed" : res == pkgPackageManager::Failed ? "failed" : "incomplete";
}

}  // namespace

namespace {
std::string installed_status(pkgDepCache& dc, pkgCache& cache,
                             const std::function<bool(pkgCache::PkgIterator)>& is_auto, std::string& extended_states);
}  // namespace

nlohmann::json resolve_upgrade(OpenedCache& opened, const UpgradeOptions& o) {
  pkgDepCache& dc = *opened.cf->GetDepCache();
  pkgCache& cache = *opened.cf->GetPkgCache();
  nlohmann::json r;
  r["scenario"] = o.name;
  r["mode"] = o.mode;
  r["architectures"] = o.architectures;
  r["apt"] = {{"library", pkgLibVersion}, {"solver", "internal"}, {"phased_updates", "always-include"}};
  require_native_packages(cache, o);
  r["before"] = check_deps(dc, cache);
  // candidate snapshot before the upgrade (held-back detection)
  std::map<unsigned long, std::string> candidates;
  for (auto p = cache.PkgBegin(); !p.end(); ++p)
    if (!p.CurrentVer().end() && dc[p].Upgradable()) candidates[p->ID] = dc[p].CandVersion;
  int mode = APT::Upgrade::ALLOW_EVERYTHING;
  if (o.mode == "upgrade") mode = APT::Upgrade::FORBID_REMOVE_PACKAGES | APT::Upgrade::FORBID_INSTALL_NEW_PACKAGES;
  else if (o.mode == "upgrade-new") mode = APT::Upgrade::FORBID_REMOVE_PACKAGES;
  bool ok = APT::Upgrade::Upgrade(dc, mode, nullptr);
  std::string errors = deb::take_apt_errors();
  drop_garbage_new_installs(dc, cache);  // its ActionGroup's release re-marks the garbage
  Outcome out = classify(dc, cache, candidates);
  r["resolver_ok"] = ok;
  if (!errors.empty()) r["resolver_errors"] = errors;
  r["upgraded"] = out.upgraded;
  r["new"] = out.fresh;
  r["removed"] = out.removed;
  r["held"] = out.held;
  r["downgraded"] = out.downgraded;
  r["broken"] = out.broken;
  r["regressions"] = out.regressions;
  r["obsolete"] = out.obsolete;
  r["autoremovable"] = out.autoremovable;
  r["ppa_uninstallable"] = ppa_uninstallable(cache, o);
  if (o.expect_ppa_apt_installable) r["ppa_install"] = ppa_install(*opened.cf);
  r["ppa_not_below_new"] = ppa_not_below_new(cache);
  if (!o.final_status.empty()) {  // the node after the upgrade, for a check that starts from it
    std::string ext;
    auto is_auto = [&dc](pkgCache::PkgIterator p) { return (dc[p].Flags & pkgCache::Flag::Auto) != 0; };
    write_file_atomic(o.final_status, installed_status(dc, cache, is_auto, ext));
    write_file_atomic(o.final_status + ".extended_states", ext);
  }
  r["ordering"] = ordering(dc);
  r["final_versions"] = out.versions;
  nlohmann::json why = nlohmann::json::object();
  for (const auto& e : o.expect_installed)
    if (!out.versions.contains(e)) why[e] = why_not_installed(dc, e);
  r["not_installed_why"] = why;
  r["not_covered"] = "file conflicts and maintainer scripts (piuparts-class)";
  return r;
}

namespace {

// One version's full stanza (as the index has it: apt's version hash needs
// every field) with "Status: install ok installed", for a dpkg status file.
// An index file's record is preferred over the status file's.
std::string status_stanza(pkgRecords& recs, pkgCache::VerIterator v) {
  auto vf = v.FileList();
  for (auto f = v.FileList(); !f.end(); ++f)
    if (!f.File().Flagged(pkgCache::Flag::NotSource)) {
      vf = f;
      break;
    }
  const char *start, *stop;
  recs.Lookup(vf).GetRec(start, stop);
  pkgTagSection sec;
  std::string rec(start, stop);
  while (!rec.empty() && rec.back() == '\n') rec.pop_back();
  rec += "\n\n";
  if (!sec.Scan(rec.c_str(), rec.size()))
    throw OperationError("cannot re-read a stanza of " + name(v.ParentPkg()));
  std::string out;
  for (unsigned i = 0; i < sec.Count(); ++i) {
    const char *ts, *te;
    sec.Get(ts, te, i);
    std::string field(ts, te);
    std::string key = field.substr(0, field.find(':'));
    for (const char* drop : {"Filename", "Size", "MD5sum", "SHA1", "SHA256", "SHA512", "Description-md5", "Status"})
      if (key == drop) key.clear();
    if (key.empty()) continue;
    while (!field.empty() && field.back() == '\n') field.pop_back();
    out += field + "\n";
    if (key == "Package") out += "Status: install ok installed\n";
  }
  return out + "\n";
}

// The dpkg status of what `dc` has installed once its changes are made,
// and apt's extended_states for it (`is_auto` says which are automatic).
std::string installed_status(pkgDepCache& dc, pkgCache& cache,
                             const std::function<bool(pkgCache::PkgIterator)>& is_auto, std::string& extended_states) {
  pkgRecords recs(dc);
  std::string status;
  for (auto p = cache.PkgBegin(); !p.end(); ++p) {
    auto& s = dc[p];
    if (s.Delete() || (!s.Install() && p.CurrentVer().end())) continue;
    auto v = s.Install() ? s.InstVerIter(dc) : p.CurrentVer();
    status += status_stanza(recs, v);
    if (is_auto(p))
      extended_states += std::string("Package: ") + p.Name() + "\nArchitecture: " + v.Arch() + "\nAuto-Installed: 1\n\n";
  }
  return status;
}

}  // namespace

std::string install_closure(const std::string& root, const UpgradeOptions& o, bool share_cache,
                            std::string& extended_states) {
  init_apt(root, o, share_cache);
  auto cf = open_cache(o);
  pkgDepCache& dc = *cf->GetDepCache();
  pkgCache& cache = *cf->GetPkgCache();
  std::vector<pkgCache::PkgIterator> targets;
  std::set<unsigned long> manual;
  for (const auto& n : o.installed) {
    auto p = cache.FindPkg(n);
    if (p.end() || dc.GetCandidateVersion(p).end())
      throw InputError("--installed: package '" + n + "' is not in the old release");
    targets.push_back(p);
    manual.insert(p->ID);
  }
  for (auto p = cache.PkgBegin(); !p.end(); ++p) {
    auto cand = dc.GetCandidateVersion(p);
    if (cand.end()) continue;
    if ((p->Flags & pkgCache::Flag::Essential) || cand->Priority == pkgCache::State::Required ||
        cand->Priority == pkgCache::State::Important) {
      targets.push_back(p);
      manual.insert(p->ID);
    }
  }
  {
    pkgDepCache::ActionGroup group(dc);
    for (auto& p : targets) dc.MarkInstall(p, false, 0, true);
    for (auto& p : targets) dc.MarkInstall(p, true, 0, true);
  }
  if (dc.BrokenCount() != 0) {
    pkgProblemResolver fix(&dc);
    for (auto& p : targets) fix.Protect(p);
    fix.Resolve(true);
  }
  if (dc.BrokenCount() != 0) throw InputError("--installed: the old release cannot install this set");
  return installed_status(dc, cache, [&](pkgCache::PkgIterator p) { return !manual.count(p->ID); }, extended_states);
}

}  // namespace hapkg::upgrade
