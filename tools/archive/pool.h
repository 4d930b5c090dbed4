// Content-checked copies into an archive's pool/.
#pragma once

#include <string>

#include "deb/hashes.h"

namespace hapkg::archive {

// Copies `src` to `dest` (atomically); when `dest` exists with the same
// SHA256 it is left alone, with other content InputError (as Launchpad
// refuses a reused file name with different content).
// Returns true when the file was newly copied.
bool copy_into_pool(const std::string& src, const std::string& dest, const deb::FileHashes& h);

}  // namespace hapkg::archive
