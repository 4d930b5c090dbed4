// The debian tarball of a 3.0 source package (and the whole tarball of a
// 3.0 (native) one), written byte for byte as dpkg-source writes it:
// GNU tar format, names sorted, uid/gid 0 without names, mtimes clamped to
// SOURCE_DATE_EPOCH, 10240-byte records; then xz -6 with the multithreaded
// encoder as a second pass (Dpkg/Source/Archive.pm, Dpkg/Compression.pm).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hapkg::source {

// dpkg-source's default -I patterns (Dpkg/Source/Package.pm).
const std::vector<std::string>& default_tar_excludes();

// True when `relpath` ("debian/x~") matches one of `patterns` the way GNU
// tar's --exclude does (unanchored, wildcards match '/').
bool tar_excluded(const std::string& relpath, const std::vector<std::string>& patterns);

struct TarOptions {
  std::string base;                    // directory the names are relative to
  std::vector<std::string> roots;      // top entries, e.g. {"debian"}; recursed
  std::vector<std::string> excludes;   // GNU tar --exclude patterns
  std::int64_t clamp_mtime = 0;        // --mtime @N --clamp-mtime
};

// The uncompressed tar, exactly as `tar -cf - --format=gnu --sort=name
// --mtime @N --clamp-mtime --numeric-owner --owner=0 --group=0` writes it.
std::string make_tar(const TarOptions& options);

// xz -6 (CRC64, multithreaded encoder: identical bytes to `xz -6 -T0`).
std::string xz_compress(const std::string& data);

}  // namespace hapkg::source
