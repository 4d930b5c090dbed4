#include "upgrade/why_not_installed.h"

#include <apt-pkg/cachefile.h>
#include <apt-pkg/configuration.h>
#include <apt-pkg/depcache.h>

#include <set>

namespace hapkg::upgrade {

std::string why_not_installed(pkgDepCache& dc, const std::string& package) {
  pkgCache& cache = dc.GetCache();
  auto p = cache.FindPkg(package);
  if (p.end() || p.VersionList().end()) return "not installed: no index given has " + package;
  auto cand = dc[p].CandidateVerIter(dc);
  std::string have = cand.end() ? "" : std::string(" (") + cand.VerStr() + " is available)";
  if (dc[p].InstBroken()) return "not installed: its dependencies cannot be met" + have;
  // Reverse Depends/Pre-Depends/Recommends from the versions that end up installed.
  std::set<std::string> depends, recommends;
  for (auto d = p.RevDependsList(); !d.end(); ++d) {
    auto owner = d.ParentPkg();
    if (!dc[owner].Install() && (owner.CurrentVer().end() || dc[owner].Delete())) continue;
    auto v = dc[owner].InstVerIter(dc);
    if (v.end() || d.ParentVer() != v) continue;
    if (d->Type == pkgCache::Dep::Depends || d->Type == pkgCache::Dep::PreDepends) depends.insert(owner.Name());
    if (d->Type == pkgCache::Dep::Recommends) recommends.insert(owner.Name());
  }
  auto join = [](const std::set<std::string>& s) {
    std::string out;
    for (const auto& n : s) out += (out.empty() ? "" : ", ") + n;
    return out;
  };
  if (!depends.empty()) return "not installed although " + join(depends) + " depends on it" + have;
  if (!recommends.empty())
    return "not installed: only recommended (by " + join(recommends) + ") and " +
           (_config->FindB("APT::Install-Recommends", true)
                ? std::string("apt installs new Recommends only of packages it installs or upgrades")
                : std::string("APT::Install-Recommends is off")) + have;
  return "not installed: nothing installed after the upgrade depends on or recommends it, so apt has no reason to "
         "install it" + have;
}

}  // namespace hapkg::upgrade
