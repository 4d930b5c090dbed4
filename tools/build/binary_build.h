// Binary builds the way Debian's buildds make them: a clean chroot of the
// target series made from the real archive (mmdebstrap --variant=buildd),
// cached as a tarball, a fresh copy of it per build, never the host.
// The contract with the pipeline: /work/helpers/build-api.md.
#pragma once

#include <string>
#include <vector>

namespace hapkg::build {

struct ChrootSpec {
  std::string series;     // bookworm, trixie
  std::string mirror;     // empty: read from apt's config (/etc/apt/sources.list.d/*.sources URIs:)
  std::string cache_dir;  // where chroot tarballs are kept between runs
  // A node rather than a build chroot (tools/node): mmdebstrap's variant and
  // --include packages (Recommends not installed, mmdebstrap's default).
  // Both are part of the tarball's inputs; the defaults leave the buildd
  // chroots' names and keys exactly as they were.
  std::string variant = "buildd";
  std::vector<std::string> include;
};
// A clean chroot tarball for the series (mmdebstrap --variant=buildd unless the spec says otherwise), made once and reused.
// `key` identifies its content (hash of the inputs and the tarball's sha256) for the pipeline's input hashing.
struct Chroot { std::string tarball; std::string key; };
Chroot ensure_chroot(const ChrootSpec&);
// What decides the tarball ensure_chroot would make for the spec (the
// chroot_inputs lines), without making it: the pipeline hashes this, so a
// cold cache and a warm one give the same answer. Validates the spec
// (InputError) and asks dpkg and mmdebstrap for architecture and version.
std::string chroot_identity(const ChrootSpec&);

struct BinaryBuildRequest {
  std::string dsc;                         // the source package to build (its files beside it)
  Chroot chroot;
  std::string series;
  std::vector<std::string> extra_sources;  // one-line apt sources ("deb [signed-by=/path/key.asc] file:/abs/archive bookworm main")
  std::vector<std::string> extra_keys;     // key files those lines name; copied into the chroot
  std::string out_dir;                     // .debs, .changes, .buildinfo appear here only when the build succeeded
  std::string log_path;                    // build log, kept on failure too
  bool source_and_binary_in_changes = false;
};
struct BinaryBuildResult {
  std::vector<std::string> debs;  // absolute paths in out_dir, sorted
  std::string changes, buildinfo, log_path;
};
// Builds in a fresh copy of the chroot (never the host). OperationError naming the log path on failure.
BinaryBuildResult build_binaries(const BinaryBuildRequest&);

// lintian on .debs/.changes/.dsc; returns the E:/W: tag lines (empty: clean).
std::vector<std::string> run_lintian(const std::vector<std::string>& files);

}  // namespace hapkg::build
