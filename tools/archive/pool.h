// Pool helpers: file hashes and content-checked copies into pool/.
#pragma once

#include <cstdint>
#include <string>

namespace hapkg::archive {

struct FileHashes {
  std::uint64_t size = 0;
  std::string md5, sha1, sha256, sha512;
};

// Hashes a file with libapt-pkg's Hashes; OperationError if unreadable,
// InputError when missing.
FileHashes hash_file(const std::string& path);

// SHA256 (hex) of a buffer, with libapt-pkg's Hashes.
std::string sha256_hex(const std::string& data);

// Copies `src` to `dest` (atomically); when `dest` exists with the same
// SHA256 it is left alone, with other content InputError (as Launchpad
// refuses a reused file name with different content).
// Returns true when the file was newly copied.
bool copy_into_pool(const std::string& src, const std::string& dest, const FileHashes& h);

// mkdir -p
void make_dirs(const std::string& path);

}  // namespace hapkg::archive
