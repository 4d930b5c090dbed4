// hapkg track: upstream release tracking over package trees or a manifest,
// with uscan-compatible results and output (table, JSON, DEHS XML).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tracker/upstream/download.h"
#include "tracker/upstream/scan.h"
#include "util/error.h"

namespace hapkg::tracker {

struct TrackEntry {
  std::string source;        // source package name
  std::string version;       // packaged Debian version ("" when unknown)
  std::string tree;          // the package tree ("" for manifest entries)
  std::vector<WatchLine> lines;               // the watch lines
  std::vector<ScanResult> results;            // one per watch line (after scan_entry)
  std::map<std::string, std::string> archives;  // archive label -> version there
};

// A package tree: debian/changelog and debian/watch (read, not scanned).
TrackEntry read_tree(const std::string& dir);

// A deb822 manifest: paragraphs with Source:, Watch: (the watch lines, as a
// multi-line field) and optional Version: (what we package).
std::vector<TrackEntry> read_manifest(const std::string& path);

// Scans every watch line of the entry (network, git).
void scan_entry(TrackEntry& e);
// Scans every entry, with a progress line on a terminal.
void scan_entries(std::vector<TrackEntry>& entries);

// Each --archive index's version of every entry's source.
void add_archive_versions(std::vector<TrackEntry>& entries, const std::vector<std::string>& archives);

// What a scan has to say besides its results, one "file:line: ..." line
// each: the watch files' warnings (a misspelt option) and the lines that
// failed.
struct Diagnostics {
  std::vector<std::string> warnings, errors;
};
Diagnostics diagnostics(const std::vector<TrackEntry>& entries);

// --download: the newest tarball of every line that found a newer version
// (entries from package trees only). A pgpmode=next line takes the
// signature that the following pgpmode=previous line finds for the same
// version. Throws OperationError when that line finds none. `dest`: where
// the tarballs go ("" = beside each package tree, as uscan).
std::vector<DownloadResult> download_newer(const std::vector<TrackEntry>& entries, bool progress_bar,
                                           const std::string& dest = "");

// uscan's exit status: 0 when a newer version was found, 1 when not; a
// failed line without any newer one is 3; a skipped (signature) line makes
// a report 1, as uscan's status 1 for it wins over "found".
Exit track_exit_status(const std::vector<TrackEntry>& entries, bool downloading);

// Sources index (plain or .gz/.xz, local path or http URL): source -> newest version.
std::map<std::string, std::string> read_sources_index(const std::string& where);

// uscan --dehs output, tag for tag.
std::string render_dehs(const std::vector<TrackEntry>& entries);
std::string render_table(const std::vector<TrackEntry>& entries, const std::vector<std::string>& archive_labels);
nlohmann::json to_json(const std::vector<TrackEntry>& entries);

}  // namespace hapkg::tracker
