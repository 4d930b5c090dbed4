// The fetch step: a source's Debian packaging from where the manifest says,
// every byte verified before anything is unpacked.
//   index:   dists/SUITE/InRelease (or Release + Release.gpg) checked with
//            gpgv and the keyring, then the Sources index against the signed
//            Release, then each file against Sources (and the .dsc's own
//            checksums); http(s) downloads resume a partial file.
//   sources: a Sources file carried in this repository, files beside it.
//   repository: this repository's HEAD (git archive), a native package.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "pipeline/manifest.h"

namespace hapkg::pipeline {

struct Fetched {
  std::string version;              // the packaged version
  std::string tree;                 // absolute path of the unpacked tree in dest
  std::vector<std::string> files;   // the source files (basenames in dest/files/)
  std::string dsc;                  // basename of the .dsc ("" when the source serves none)
};

using LogFn = std::function<void(const std::string&)>;

// Fetches `source` into `dest` (an empty directory): dest/files/ (verified
// files) and dest/<source>-<upstream>/ (the tree). InputError when a
// signature or checksum is wrong, naming the file; nothing is unpacked then.
// Downloads are kept in `cache` (resumed there after a kill) and copied
// into dest only once verified.
Fetched fetch_packaging(const SourceEntry& source, const std::string& repository, const std::string& dest,
                        const std::string& cache, const LogFn& log);

// What fetch reads, for the step's input hash, without downloading files:
// the Sources stanza's checksums (local), the git tree (repository), the
// manifest line (remote indices: pin Packaging-Version to notice changes).
std::string fetch_inputs(const SourceEntry& source, const std::string& repository);

}  // namespace hapkg::pipeline
