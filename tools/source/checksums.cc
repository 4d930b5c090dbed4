#include "source/checksums.h"

#include <apt-pkg/hashes.h>

#include "util/file.h"

namespace hapkg::source {

FileDigest digest_data(const std::string& name, const std::string& data) {
  Hashes h(Hashes::MD5SUM | Hashes::SHA1SUM | Hashes::SHA256SUM);
  h.Add(reinterpret_cast<const unsigned char*>(data.data()), data.size());
  HashStringList l = h.GetHashStringList();
  FileDigest d;
  d.name = name;
  d.size = data.size();
  d.md5 = l.find("MD5Sum")->HashValue();
  d.sha1 = l.find("SHA1")->HashValue();
  d.sha256 = l.find("SHA256")->HashValue();
  return d;
}

FileDigest digest_file(const std::string& path) {
  size_t slash = path.rfind('/');
  return digest_data(slash == std::string::npos ? path : path.substr(slash + 1), read_file(path));
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
