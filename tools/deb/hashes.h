// File hashes and the Files / Checksums-* field lines of .dsc, .changes and
// Sources/Packages stanzas, all from libapt-pkg's Hashes: the one place hapkg
// hashes a file or writes such a line.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hapkg::deb {

struct FileHashes {
  std::string name;  // base name (empty when hashed from a path and not asked for)
  std::uint64_t size = 0;
  std::string md5, sha1, sha256, sha512;
};

// Streams a file through MD5, SHA1, SHA256 and SHA512 (an orig tarball is
// never held in memory). InputError when missing, OperationError when
// unreadable. `name` is the path's base name.
FileHashes hash_file(const std::string& path);
FileHashes hash_data(const std::string& name, const std::string& data);

// SHA256 (hex) of a buffer.
std::string sha256_hex(const std::string& data);

// " <hash> <size> <name>" lines (a leading newline each), for a field value.
// `files_extra` (e.g. "section priority") goes before the name in Files.
std::string checksums_sha1(const std::vector<FileHashes>& files);
std::string checksums_sha256(const std::vector<FileHashes>& files);
std::string checksums_sha512(const std::vector<FileHashes>& files);
std::string files_md5(const std::vector<FileHashes>& files, const std::string& files_extra = "");

// One line of a Files / Checksums-* field: " <hash> <size> [<section>
// <priority>] <name>" (a .changes' Files has the two extra words).
struct ListedFile {
  std::string hash;
  std::uint64_t size = 0;
  std::string section, priority;  // empty unless the line has them
  std::string name;
};

// Parses such a field value (blank lines skipped). InputError naming
// `where` and the line within the field on anything else (a size that is
// not a number, a wrong word count).
std::vector<ListedFile> parse_file_lines(const std::string& value, const std::string& where);

}  // namespace hapkg::deb
