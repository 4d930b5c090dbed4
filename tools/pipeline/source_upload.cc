#include "pipeline/source_upload.h"

#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "build/binary_build.h"
#include "deb/changelog.h"
#include "source/build.h"
#include "source/changes.h"
#include "util/error.h"
#include "util/file.h"

namespace hapkg::pipeline {
namespace fs = std::filesystem;

std::time_t changelog_time() {
  // SOURCE_DATE_EPOCH pins the entry's date: the same inputs then give the
  // same source package (reproducible-builds.org's convention).
  const char* sde = std::getenv("SOURCE_DATE_EPOCH");
  if (!sde) return 0;
  try {
    return static_cast<std::time_t>(std::stoll(sde));
  } catch (const std::exception&) {
    throw InputError("SOURCE_DATE_EPOCH='" + std::string(sde) + "' is not a number of seconds");
  }
}

std::time_t entry_time(const deb::Changelog& cl, std::time_t pinned) {
  std::time_t when = pinned ? pinned : std::time(nullptr);
  if (cl.entries.empty()) return when;
  // A new entry is dated after the one below it, as dch run by a maintainer
  // would date it; a SOURCE_DATE_EPOCH older than the packaging's latest
  // entry (lintian: latest-changelog-entry-without-new-date) becomes one
  // second after that entry, which still depends only on the inputs.
  auto previous = static_cast<std::time_t>(cl.entries.front().timestamp());
  return when > previous ? when : previous + 1;
}

SourceUpload make_source_upload(const SourceUploadRequest& req, const std::function<void(const std::string&)>& log) {
  fs::create_directories(req.out_dir);
  std::string tree = req.out_dir + "/" + fs::path(req.patched_tree).filename().string();
  fs::copy(req.patched_tree, tree, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  for (const auto& o : req.origs) fs::copy_file(o, req.out_dir + "/" + fs::path(o).filename().string());

  std::string changelog = tree + "/debian/changelog";
  deb::Changelog cl = deb::read_changelog(changelog);
  deb::NewEntry e;
  e.version = req.version;
  e.distribution = req.series;
  e.changes = req.changes;
  e.maintainer = req.maintainer;
  e.merge_unreleased = false;
  e.allow_lower = true;  // a backport (~12.1) sorts below the packaging's own version
  e.when = entry_time(cl, changelog_time());
  deb::add_changelog_entry(cl, e);
  write_file_atomic(changelog, deb::render_changelog(cl));
  log("debian/changelog: " + req.version + " for " + req.series);

  source::BuildResult b = source::build_source(tree);
  log("built " + b.dsc);
  source::ChangesOptions co;
  co.orig = source::OrigInclusion::kAlways;
  co.targets = {req.series};
  std::string changes = source::write_changes(tree, co);
  fs::remove_all(tree);  // the .dsc and its files are the product; the binaries step unpacks them again

  SourceUpload out;
  out.dsc = fs::path(b.dsc).filename().string();
  out.changes = fs::path(changes).filename().string();
  for (const auto& f : b.files) out.files.push_back(fs::path(f).filename().string());
  return out;
}

SourceUpload build_source_upload(const SourceUploadRequest& req, const std::function<void(const std::string&)>& log) {
  SourceUpload out = make_source_upload(req, log);
  out.lintian = build::run_lintian({req.out_dir + "/" + out.dsc});
  for (const auto& t : out.lintian) log("lintian: " + t);
  return out;
}

}  // namespace hapkg::pipeline
