#include "source/checksums.h"

#include <apt-pkg/hashes.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"

#include "util/file.h"

namespace hapkg::source {

namespace {

FileDigest from_hashes(const std::string& name, std::uint64_t size, Hashes& h) {
  HashStringList l = h.GetHashStringList();
  FileDigest d;
  d.name = name;
  d.size = size;
  d.md5 = l.find("MD5Sum")->HashValue();
  d.sha1 = l.find("SHA1")->HashValue();
  d.sha256 = l.find("SHA256")->HashValue();
  return d;
}

}  // namespace

FileDigest digest_data(const std::string& name, const std::string& data) {
  Hashes h(Hashes::MD5SUM | Hashes::SHA1SUM | Hashes::SHA256SUM);
  h.Add(reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return from_hashes(name, data.size(), h);
}

FileDigest digest_file(const std::string& path) {
  // Streamed: an orig tarball is never held in memory.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_errno("open " + path);
  struct stat st;
  Hashes h(Hashes::MD5SUM | Hashes::SHA1SUM | Hashes::SHA256SUM);
  bool ok = ::fstat(fd, &st) == 0 && h.AddFD(fd, static_cast<unsigned long long>(st.st_size));
  ::close(fd);
  if (!ok) throw OperationError("cannot read " + path);
  size_t slash = path.rfind('/');
  return from_hashes(slash == std::string::npos ? path : path.substr(slash + 1),
                     static_cast<std::uint64_t>(st.st_size), h);
}

std::string checksums_sha1(const std::vector<FileDigest>& files) {
  std::string out;
  for (const auto& f : files) out += "\n " + f.sha1 + " " + std::to_string(f.size) + " " + f.name;
  return out;
}

std::string checksums_sha256(const std::vector<FileDigest>& files) {
  std::string out;
  for (const auto& f : files) out += "\n " + f.sha256 + " " + std::to_string(f.size) + " " + f.name;
  return out;
}

std::string files_md5(const std::vector<FileDigest>& files, const std::string& files_extra) {
  std::string out;
  for (const auto& f : files)
    out += "\n " + f.md5 + " " + std::to_string(f.size) + " " + (files_extra.empty() ? "" : files_extra + " ") + f.name;
  return out;
}

}  // namespace hapkg::source
