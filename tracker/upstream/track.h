// hapkg track: upstream release tracking over package trees or a manifest,
// with uscan-compatible results and output (table, JSON, DEHS XML).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tracker/upstream/scan.h"

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

// Sources index (plain or .gz/.xz, local path or http URL): source -> newest version.
std::map<std::string, std::string> read_sources_index(const std::string& where);

// uscan --dehs output, tag for tag.
std::string render_dehs(const std::vector<TrackEntry>& entries);
std::string render_table(const std::vector<TrackEntry>& entries, const std::vector<std::string>& archive_labels);
nlohmann::json to_json(const std::vector<TrackEntry>& entries);

}  // namespace hapkg::tracker
