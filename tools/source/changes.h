// Source-only .changes (Format 1.8) as `dpkg-genchanges -S` writes them, and
// signing .dsc and .changes as debsign does.
#pragma once

#include <string>
#include <vector>

namespace hapkg::source {

enum class OrigInclusion { kAuto, kAlways, kNever };  // -si (default), -sa, -sd

struct ChangesOptions {
  std::string since;  // -v: entries newer than this version; empty: the previous entry
  OrigInclusion orig = OrigInclusion::kAuto;
  std::vector<std::string> targets;  // configured series; a warning when the distribution is not one
};

// Writes <src>_<ver>_source.changes next to the .dsc of the built tree DIR
// and returns its path.
std::string write_changes(const std::string& dir, const ChangesOptions& options);

// Clearsigns the .dsc the .changes lists, updates the .changes checksums of
// it, then clearsigns the .changes (gpg from PATH, GNUPGHOME from the env).
void sign_changes(const std::string& changes_path, const std::string& keyid);

}  // namespace hapkg::source
