// The track step: is upstream newer than what is packaged? The manifest's
// Watch lines are scanned as `hapkg track` scans them (tracker/upstream);
// a source without Watch is "not tracked". With --new-upstream a newer
// release is merged: its tarball downloaded and verified as `hapkg track
// --download` does (the watch line's pgp mode, the packaging's
// debian/upstream/signing-key.asc), the packaging's debian/ laid on it, a
// "New upstream release." changelog entry (dch -v V-1), and every patch of
// debian/patches and patches/<src>/ checked (tools/patch check_series):
// already applied upstream -> dropped, applies with zero fuzz -> kept,
// anything else -> the step fails with one line per patch.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "patch/quilt.h"
#include "pipeline/manifest.h"
#include "tracker/upstream/track.h"

namespace hapkg::pipeline {

struct UpstreamStatus {
  bool tracked = false;   // the source has Watch lines
  std::string packaged;   // upstream part of the packaged version
  std::string newest;     // newest upstream found ("" when none)
  std::string status;     // uscan's status, "not tracked", or "scan failed"
  std::string error;      // the scan's "file:line: problem"
  bool newer() const { return status == "newer package available"; }
  std::string summary() const;  // one line for the run summary
};

// What a merge does with one patch.
enum class PatchDecision { kDrop, kApplies, kFails };
const char* to_string(PatchDecision d);

struct PatchVerdict {
  std::string name;
  bool ours = false;  // from patches/<src>/ (else the packaging's debian/patches)
  PatchDecision decision = PatchDecision::kFails;
  std::string detail;  // patch's message when it fails or needs fuzz
};

// check_series' state -> the decision: already upstream drops, clean (or
// applied) applies, fuzz or failure fails (the pipeline allows no fuzz).
PatchDecision decide(patch::PatchState s);
std::vector<PatchVerdict> decide_patches(const std::vector<patch::PatchCheck>& checks, const std::set<std::string>& ours);
// One line per patch: "drop NAME (already upstream)", "keep NAME", "FAIL NAME: detail".
std::vector<std::string> render_verdicts(const std::vector<PatchVerdict>& v);
nlohmann::json verdicts_json(const std::vector<PatchVerdict>& v);

// Scans the source's Watch lines against `packaged_version` (the fetched
// packaging's); `tree` is that packaging (its debian/upstream/signing-key.asc
// verifies a download). `scanned` (optional) gets the scan, for the merge.
UpstreamStatus track_upstream(const SourceEntry& s, const std::string& packaged_version, const std::string& tree,
                              tracker::TrackEntry* scanned = nullptr);

struct Merged {
  std::string tree;                 // out/<src>-<newest>/
  std::string version;              // the new entry's version ([epoch:]newest-1)
  std::vector<std::string> origs;   // the orig (and its verified .asc) in out/
  std::vector<PatchVerdict> patches;
  std::vector<std::string> packaging;  // our packaging changes (patches/<src>/, debian/ only), applied
};

struct MergeRequest {
  const SourceEntry* source = nullptr;
  const tracker::TrackEntry* scanned = nullptr;  // track_upstream's scan (a newer version found)
  std::string fetched_tree;       // the packaging's unpacked tree (debian/ is taken from it)
  std::string out;                // an empty directory for the orig and the tree
  std::string maintainer;         // the changelog trailer
};

// The merge without the download: the origs (path, component; "" = the
// main tarball) unpacked as dpkg-source lays them out into
// out/<source>-<upstream_version>/, the packaging's debian/ on top with our
// packaging changes applied, the changelog entry, every quilt patch checked;
// dropped debian/patches removed.
// InputError with one line per failing patch.
struct LayRequest {
  std::string source, packaged_version, upstream_version;
  std::string fetched_tree;
  std::vector<std::pair<std::string, std::string>> origs;
  std::string out, patches_dir, maintainer;
};
Merged lay_new_upstream(const LayRequest& r, const std::function<void(const std::string&)>& log);

// Merges the newest upstream (the scan found a newer one). InputError whose
// message has one line per patch when a patch does not apply.
Merged merge_new_upstream(const MergeRequest& r, const std::function<void(const std::string&)>& log);

}  // namespace hapkg::pipeline
