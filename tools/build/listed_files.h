// The files a .dsc or .changes lists (its Checksums-Sha256 field), which
// is what a build has to copy in (the .dsc's) or out (the .changes').
#pragma once

#include <string>
#include <vector>

namespace hapkg::build {

// Base names from the Checksums-Sha256 lines of a .dsc/.changes at `path`
// (a clearsigned file is unwrapped). InputError naming the file when the
// field is missing or a name could leave its directory ("/", "..").
std::vector<std::string> listed_files(const std::string& path);

}  // namespace hapkg::build
