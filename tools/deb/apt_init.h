// libapt-pkg plumbing shared by every user of apt's library in hapkg.
#pragma once

#include <string>

namespace hapkg::deb {

// Takes apt's queued error and warning messages (its global _error stack),
// joined by "; ", and clears them. Empty when there were none.
std::string take_apt_errors();

// Reads a whole file through apt's FileFd, decompressing by its extension
// (.gz .xz .bz2 .lz4 .zst); with `clearsigned`, the OpenPGP clearsign
// envelope is stripped (apt's OpenMaybeClearSignedFile; the signature is
// not checked). Throws InputError "path: ..." when it cannot.
std::string read_apt_file(const std::string& path, bool clearsigned = false);

}  // namespace hapkg::deb
