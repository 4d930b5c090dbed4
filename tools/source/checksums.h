// The Checksums-Sha1, Checksums-Sha256 and Files lines of .dsc and .changes
// files, from libapt-pkg's hashes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hapkg::source {

struct FileDigest {
  std::string name;  // base name
  std::uint64_t size = 0;
  std::string md5, sha1, sha256;
};

FileDigest digest_data(const std::string& name, const std::string& data);
FileDigest digest_file(const std::string& path);

// " <hash> <size> <name>" lines (leading newline each), for a field value.
// `files_extra` (e.g. "section priority") goes before the name in Files.
std::string checksums_sha1(const std::vector<FileDigest>& files);
std::string checksums_sha256(const std::vector<FileDigest>& files);
std::string files_md5(const std::vector<FileDigest>& files, const std::string& files_extra = "");

}  // namespace hapkg::source
