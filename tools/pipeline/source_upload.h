// The changelog + source step for one target series: a copy of the patched
// tree gets a changelog entry for the series (as dch -v VERSION -D SERIES
// writes it), then the source package (3.0 quilt or native, byte for byte as
// dpkg-source -b), a source-only .changes with the orig included (the
// archive does not hold it yet) and lintian on the .dsc.
#pragma once

#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "deb/changelog.h"

namespace hapkg::pipeline {

struct SourceUploadRequest {
  std::string patched_tree;           // not changed
  std::vector<std::string> origs;     // orig tarballs (and .asc) the tree was unpacked from
  std::string out_dir;                // gets the .dsc, its files and the .changes
  std::string series, version, maintainer;
  std::vector<std::string> changes;   // changelog items
};

struct SourceUpload {
  std::string dsc, changes;             // basenames in out_dir
  std::vector<std::string> files;       // the .dsc's files
  std::vector<std::string> lintian;     // E:/W: lines (reported, not fatal)
};

// The step in two named parts: make_source_upload does the changelog entry,
// the source package and the .changes (lintian left empty);
// build_source_upload adds lintian on the .dsc, the slow part (seconds even
// for a tiny package), which build::run_lintian's own test covers.
// A changelog entry's time: SOURCE_DATE_EPOCH when set, else 0 (now).
// InputError when it is not a number.
std::time_t changelog_time();

// The new entry's date: `pinned` (0: now), or one second after the latest
// entry of `cl` when that is not earlier (an entry is newer than the one
// below it, as dch dates it).
std::time_t entry_time(const deb::Changelog& cl, std::time_t pinned);

SourceUpload make_source_upload(const SourceUploadRequest& req, const std::function<void(const std::string&)>& log);
SourceUpload build_source_upload(const SourceUploadRequest& req, const std::function<void(const std::string&)>& log);

}  // namespace hapkg::pipeline
