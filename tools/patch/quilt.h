// Applying and unapplying a patch series the way dpkg-source does (GNU
// patch with zero fuzz, backups in quilt's .pc/ format version 2), all or
// nothing: when a patch fails, the tree is put back as it was.
#pragma once

#include <string>
#include <vector>

#include "patch/series.h"

namespace hapkg::patch {

// Names in .pc/applied-patches (empty when nothing is applied).
std::vector<std::string> applied_patches(const std::string& tree);

// Applies every not yet applied patch of the series (quilt push -a).
// Returns the names applied. On failure the tree is restored and an
// InputError names the patch, file and hunk.
std::vector<std::string> push_all(const std::string& tree);

// Unapplies every applied patch (quilt pop -a) from its .pc backups.
std::vector<std::string> pop_all(const std::string& tree);
// Unapplies the `count` topmost applied patches.
std::vector<std::string> pop_top(const std::string& tree, size_t count);

// Applies `patches` (from patches_dir) to a plain directory without keeping
// backups (for scratch trees). Throws like push_all but does not roll back.
void apply_plain(const std::string& dir, const std::string& patches_dir, const std::vector<SeriesEntry>& patches);

enum class PatchState { kApplied, kClean, kNeedsFuzz, kAlreadyUpstream, kFails };
const char* to_string(PatchState s);

struct PatchCheck {
  std::string name;
  PatchState state;
  std::string detail;  // GNU patch's message for fuzz and failures
};

// What each patch of the series would do, without changing the tree.
std::vector<PatchCheck> check_series(const std::string& tree);

// Regenerates debian/patches/NAME (the topmost applied patch) from its .pc
// backups and the tree, keeping the header before the first diff. Returns
// true when the patch file changed.
bool refresh_patch(const std::string& tree, const std::string& name);

// Copies the series in `from` (a folder with a series file and patches)
// into tree/debian/patches, appending to its series; refuses name clashes.
// Returns the names added.
std::vector<std::string> import_series(const std::string& from, const std::string& tree);

}  // namespace hapkg::patch
