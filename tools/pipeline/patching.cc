#include "pipeline/patching.h"

#include <filesystem>

#include "patch/quilt.h"
#include "patch/series.h"
#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::pipeline {
namespace fs = std::filesystem;

namespace {
bool only_debian(const std::vector<std::string>& targets) {
  if (targets.empty()) return false;
  for (const auto& t : targets)
    if (t.rfind("debian/", 0) != 0) return false;
  return true;
}
}  // namespace

ProjectSeries split_project_patches(const std::string& patches_dir) {
  ProjectSeries out;
  std::string series_path = patches_dir + "/series";
  for (const auto& e : patch::parse_series(read_file(series_path), series_path)) {
    auto targets = patch::patch_targets(read_file(patches_dir + "/" + e.name), e.name);
    (only_debian(targets) ? out.packaging : out.upstream).push_back(e);
  }
  return out;
}

std::vector<std::string> import_upstream_patches(const std::string& tree, const std::string& patches_dir,
                                                 const std::vector<patch::SeriesEntry>& upstream,
                                                 const std::set<std::string>& skip) {
  // import_series takes a folder: one with only the upstream patches.
  TempDir only("hapkg-patches");
  std::string series;
  for (const auto& e : upstream) {
    if (skip.count(e.name)) continue;
    fs::create_directories(fs::path(only.path() + "/" + e.name).parent_path());
    fs::copy_file(patches_dir + "/" + e.name, only.path() + "/" + e.name);
    series += e.name + "\n";
  }
  if (series.empty()) return {};
  write_file_atomic(only.path() + "/series", series);
  return patch::import_series(only.path(), tree);
}

Patched apply_project_patches(const std::string& tree, const std::string& patches_dir,
                              const std::set<std::string>& skip) {
  Patched out;
  if (!patches_dir.empty()) {
    ProjectSeries ps = split_project_patches(patches_dir);
    std::vector<patch::SeriesEntry> packaging;
    for (const auto& e : ps.packaging)
      if (!skip.count(e.name)) packaging.push_back(e);
    patch::apply_plain(tree, patches_dir, packaging);
    for (const auto& e : packaging) out.packaging.push_back(e.name);
    out.imported = import_upstream_patches(tree, patches_dir, ps.upstream, skip);
  }
  if (fs::exists(tree + "/debian/patches")) out.applied = patch::push_all(tree);
  return out;
}

std::string patches_inputs(const std::string& patches_dir) {
  if (patches_dir.empty()) return "";
  std::string series_path = patches_dir + "/series";
  std::string text = read_file(series_path);
  std::string all = text;
  for (const auto& e : patch::parse_series(text, series_path))
    all += '\0' + e.name + '\0' + read_file(patches_dir + "/" + e.name);
  return all;
}

}  // namespace hapkg::pipeline
