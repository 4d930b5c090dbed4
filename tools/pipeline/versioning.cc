#include "pipeline/versioning.h"

#include <algorithm>
#include <filesystem>

#include <apt-pkg/tagfile.h>

#include "archive/repo.h"
#include "deb/apt_init.h"
#include "deb/version.h"
#include "deb/version_next.h"
#include "util/error.h"

namespace hapkg::pipeline {
namespace fs = std::filesystem;

VersionChoice choose_version(const std::string& source, const std::string& current, const SeriesEntry& series,
                             const std::vector<std::string>& old_versions,
                             const std::vector<std::string>& archive_versions) {
  deb::NextVersionRequest req;
  req.ppa = series.ppa;
  req.backport_series = series.backport;
  std::string v = deb::next_version(current, req);
  // Bounded: one step per version the archive already holds.
  for (std::size_t i = 0; i <= archive_versions.size(); ++i) {
    if (std::find(archive_versions.begin(), archive_versions.end(), v) == archive_versions.end()) break;
    v = deb::next_version(v, req);
  }
  VersionChoice c{v, {}};
  std::vector<std::string> others;
  for (const auto& o : old_versions) {
    others.push_back(o);
    c.checked_against.push_back("old release " + o);
  }
  for (const auto& a : archive_versions) {
    others.push_back(a);
    c.checked_against.push_back("archive " + a);
  }
  deb::AgainstCheck check = deb::check_greater_than_all(v, others);
  std::string why;
  for (const auto& p : check.problems) why += (why.empty() ? "" : "; ") + p;
  if (!check.ok) throw InputError(source + " for " + series.name + ": version " + v + " refused: " + why);
  // The new release (the packaging's own version) must supersede the upload.
  if (deb::compare_versions(v, current) >= 0 && !series.ppa)
    throw InputError(source + " for " + series.name + ": backport " + v + " is not below " + current);
  c.checked_against.push_back("new release " + current + " (stays above)");
  return c;
}

std::vector<std::string> source_versions_in_packages(const std::vector<std::string>& indices,
                                                     const std::string& source) {
  std::vector<std::string> out;
  for (const auto& path : indices) {
    std::string text = deb::read_apt_file(path) + "\n\n";  // Scan wants the last stanza terminated
    pkgTagSection s;
    for (std::size_t at = 0; at < text.size();) {
      while (at < text.size() && text[at] == '\n') ++at;
      if (at >= text.size() || !s.Scan(text.data() + at, text.size() - at)) break;
      if (s.size() == 0) break;
      at += s.size();
      std::string src = s.FindS("Source"), version = s.FindS("Version");
      if (src.empty()) src = s.FindS("Package");
      auto paren = src.find(" (");
      if (paren != std::string::npos) {  // "name (version)": a binNMU or a differing source version
        version = src.substr(paren + 2, src.find(')') - paren - 2);
        src = src.substr(0, paren);
      }
      if (src == source && std::find(out.begin(), out.end(), version) == out.end()) out.push_back(version);
    }
  }
  return out;
}

std::vector<std::string> archive_source_versions(const std::string& archive, const std::string& suite,
                                                 const std::string& source) {
  std::vector<std::string> out;
  if (!fs::exists(archive + "/conf/distributions")) return out;
  auto suites = archive::read_config(archive);
  if (std::none_of(suites.begin(), suites.end(),
                   [&](const archive::SuiteConfig& s) { return s.suite == suite || s.codename == suite; }))
    return out;
  for (const auto& e : archive::list_entries(archive, suite))
    if (e.kind == "dsc" && e.package == source) out.push_back(e.version);
  return out;
}

}  // namespace hapkg::pipeline
