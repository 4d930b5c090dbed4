#include "pipeline/tracking.h"

#include <filesystem>
#include <sstream>

#include "deb/changelog.h"
#include "patch/series.h"
#include "pipeline/patching.h"
#include "pipeline/source_upload.h"
#include "source/orig.h"
#include "util/error.h"
#include "util/file.h"
#include "util/process.h"
#include "util/tempdir.h"

namespace hapkg::pipeline {
namespace fs = std::filesystem;

std::string UpstreamStatus::summary() const {
  if (!tracked) return "not tracked";
  if (!error.empty()) return "scan failed: " + error;
  return "packaged " + packaged + ", upstream " + (newest.empty() ? "(none found)" : newest) + ": " + status;
}

const char* to_string(PatchDecision d) {
  switch (d) {
    case PatchDecision::kDrop: return "drop";
    case PatchDecision::kApplies: return "applies";
    case PatchDecision::kFails: return "fails";
  }
  return "?";
}

PatchDecision decide(patch::PatchState s) {
  switch (s) {
    case patch::PatchState::kAlreadyUpstream: return PatchDecision::kDrop;
    case patch::PatchState::kClean:
    case patch::PatchState::kApplied: return PatchDecision::kApplies;
    case patch::PatchState::kNeedsFuzz:  // zero fuzz, as the patch step and dpkg-source -b's check
    case patch::PatchState::kFails: return PatchDecision::kFails;
  }
  return PatchDecision::kFails;
}

std::vector<PatchVerdict> decide_patches(const std::vector<patch::PatchCheck>& checks,
                                         const std::set<std::string>& ours) {
  std::vector<PatchVerdict> out;
  for (const auto& c : checks) {
    PatchVerdict v{c.name, ours.count(c.name) > 0, decide(c.state), c.detail};
    if (c.state == patch::PatchState::kNeedsFuzz) v.detail = "needs fuzz: " + c.detail;
    out.push_back(v);
  }
  return out;
}

std::vector<std::string> render_verdicts(const std::vector<PatchVerdict>& v) {
  std::vector<std::string> out;
  for (const auto& p : v) {
    std::string who = p.ours ? " (patches/)" : " (debian/patches)";
    switch (p.decision) {
      case PatchDecision::kDrop: out.push_back("drop " + p.name + who + ": already applied upstream"); break;
      case PatchDecision::kApplies: out.push_back("keep " + p.name + who + ": applies"); break;
      case PatchDecision::kFails: out.push_back("FAIL " + p.name + who + ": " + p.detail); break;
    }
  }
  return out;
}

nlohmann::json verdicts_json(const std::vector<PatchVerdict>& v) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : v)
    out.push_back({{"name", p.name}, {"origin", p.ours ? "patches" : "debian"}, {"decision", to_string(p.decision)},
                   {"detail", p.detail}});
  return out;
}

UpstreamStatus track_upstream(const SourceEntry& s, const std::string& packaged_version, const std::string& tree,
                              tracker::TrackEntry* scanned) {
  UpstreamStatus st;
  st.packaged = tracker::upstream_part(packaged_version);
  if (s.watch.empty()) {
    st.status = "not tracked";
    return st;
  }
  st.tracked = true;
  tracker::TrackEntry e;
  e.source = s.name;
  e.version = packaged_version;
  e.tree = tree;
  e.lines = s.watch;
  tracker::scan_entry(e);
  // The main tarball's line (no component=) decides, as uscan's first line.
  for (const auto& r : e.results) {
    if (!r.component.empty() || r.skipped) continue;
    st.error = r.error;
    st.newest = r.upstream_version;
    st.status = r.error.empty() ? r.status : "scan failed";
    break;
  }
  if (st.status.empty()) st.status = "scan failed";
  if (scanned) *scanned = std::move(e);
  return st;
}

namespace {

// dpkg-source's layout: the main orig's top directory stripped; a component
// tarball into <component>/.
void unpack_orig(const std::string& orig, const std::string& dir) {
  std::string top = source::common_top_dir(source::validate_orig(orig));  // refuses unsafe entries
  fs::create_directories(dir);
  std::vector<std::string> argv{"tar", "-xf", orig, "-C", dir, "--no-same-owner"};
  if (!top.empty()) argv.push_back("--strip-components=1");
  ProcessResult r = run_process(argv);
  if (r.exit_status != 0) throw OperationError("tar -xf " + orig + ": " + r.err);
}

std::string new_version(const std::string& packaged, const std::string& upstream) {
  auto colon = packaged.find(':');
  return (colon == std::string::npos ? "" : packaged.substr(0, colon + 1)) + upstream + "-1";
}

void add_new_upstream_entry(const std::string& tree, const std::string& version, const std::string& maintainer) {
  std::string path = tree + "/debian/changelog";
  deb::Changelog cl = deb::read_changelog(path);
  deb::NewEntry e;
  e.version = version;  // dch -v V "New upstream release."
  e.changes = {"New upstream release."};
  e.maintainer = maintainer;
  e.when = changelog_time();
  deb::add_changelog_entry(cl, e);
  write_file_atomic(path, deb::render_changelog(cl));
}

// check_series on a scratch copy of `tree` with our upstream patches
// appended after the packaging's own, as the patch step will apply them.
std::vector<PatchVerdict> check_patches(const std::string& tree, const std::string& patches_dir) {
  TempDir scratch("hapkg-newupstream");
  std::string copy = scratch.path() + "/tree";
  fs::copy(tree, copy, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  std::set<std::string> ours;
  if (!patches_dir.empty())
    for (const auto& n : import_upstream_patches(copy, patches_dir, split_project_patches(patches_dir).upstream))
      ours.insert(n);
  return decide_patches(patch::check_series(copy), ours);
}

// Takes the dropped packaging patches out of debian/patches (series line and file).
void drop_patches(const std::string& tree, const std::vector<PatchVerdict>& v) {
  std::set<std::string> drop;
  for (const auto& p : v)
    if (p.decision == PatchDecision::kDrop && !p.ours) drop.insert(p.name);
  if (drop.empty()) return;
  patch::Series series = patch::read_series(tree);
  std::istringstream in(read_file(series.path));
  std::string kept;
  for (std::string line; std::getline(in, line);) {
    std::istringstream w(line);
    std::string first;
    w >> first;
    if (!drop.count(first)) kept += line + "\n";
  }
  write_file_atomic(series.path, kept);
  for (const auto& n : drop) fs::remove(tree + "/debian/patches/" + n);
}

}  // namespace

Merged lay_new_upstream(const LayRequest& r, const std::function<void(const std::string&)>& log) {
  Merged m;
  m.version = new_version(r.packaged_version, r.upstream_version);
  m.tree = r.out + "/" + r.source + "-" + r.upstream_version;
  for (const auto& [orig, component] : r.origs)
    unpack_orig(orig, component.empty() ? m.tree : m.tree + "/" + component);
  fs::remove_all(m.tree + "/debian");  // dpkg-source -x: the packaging's debian/ replaces upstream's
  fs::copy(r.fetched_tree + "/debian", m.tree + "/debian",
           fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  // Our packaging changes first: they may replace a Debian patch with one
  // rebased on the new release, and the check must see the series the
  // patch step will build (which then does not apply them again).
  if (!r.patches_dir.empty()) {
    auto packaging = split_project_patches(r.patches_dir).packaging;
    patch::apply_plain(m.tree, r.patches_dir, packaging);
    for (const auto& e : packaging) {
      m.packaging.push_back(e.name);
      log("packaging change applied: " + e.name);
    }
  }
  add_new_upstream_entry(m.tree, m.version, r.maintainer);
  log("debian/changelog: " + m.version + " New upstream release.");
  m.patches = check_patches(m.tree, r.patches_dir);
  auto lines = render_verdicts(m.patches);
  for (const auto& l : lines) log(l);
  std::string failed;
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (m.patches[i].decision == PatchDecision::kFails) failed += "\n  " + lines[i];
  if (!failed.empty())
    throw InputError("new upstream " + r.upstream_version + ": patches that do not apply (the log has every decision):" +
                     failed);
  drop_patches(m.tree, m.patches);
  return m;
}

Merged merge_new_upstream(const MergeRequest& r, const std::function<void(const std::string&)>& log) {
  const tracker::TrackEntry& e = *r.scanned;
  auto downloads = tracker::download_newer({e}, false, r.out);
  LayRequest lay{r.source->name, e.version, "", r.fetched_tree, {}, r.out, r.source->patches, r.maintainer};
  std::vector<std::string> files;
  for (std::size_t i = 0, d = 0; i < e.results.size() && d < downloads.size(); ++i) {
    if (!e.results[i].newer()) continue;
    const auto& dl = downloads[d++];
    log("downloaded " + fs::path(dl.path).filename().string() +
        (dl.signature.empty() ? " (no signature: the watch line's pgp mode asks for none)" : " (signature verified)"));
    if (e.results[i].component.empty()) lay.upstream_version = e.results[i].upstream_version;
    lay.origs.emplace_back(dl.path, e.results[i].component);
    files.push_back(dl.path);
    if (!dl.signature.empty()) files.push_back(dl.signature);
  }
  if (lay.upstream_version.empty()) throw OperationError(r.source->name + ": no newer upstream tarball to merge");
  Merged m = lay_new_upstream(lay, log);
  m.origs = files;
  return m;
}

}  // namespace hapkg::pipeline
