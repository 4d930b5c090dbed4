#include "deb/hashes.h"

#include <apt-pkg/hashes.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <sstream>

#include "deb/apt_init.h"
#include "util/error.h"

namespace hapkg::deb {

namespace {

constexpr unsigned kAll = Hashes::MD5SUM | Hashes::SHA1SUM | Hashes::SHA256SUM | Hashes::SHA512SUM;

// libapt-pkg initialises libgcrypt inside the first Hashes it constructs,
// and gcrypt's initialisation is not thread-safe: two pipeline workers (-j)
// making their first Hashes at the same moment crashed in CI. A function-
// local static makes that first construction happen exactly once, other
// threads waiting for it; every Hashes in hapkg is made after this.
void init_gcrypt_once() {
  static const bool initialised = [] {
    Hashes h(Hashes::SHA256SUM);
    return true;
  }();
  (void)initialised;
}

FileHashes from_hashes(const std::string& name, std::uint64_t size, Hashes& h) {
  HashStringList l = h.GetHashStringList();
  FileHashes d;
  d.name = name;
  d.size = size;
  d.md5 = l.find("MD5Sum")->HashValue();
  d.sha1 = l.find("SHA1")->HashValue();
  d.sha256 = l.find("SHA256")->HashValue();
  d.sha512 = l.find("SHA512")->HashValue();
  return d;
}

std::string lines(const std::vector<FileHashes>& files, std::string FileHashes::*hash, const std::string& extra) {
  std::string out;
  for (const auto& f : files)
    out += "\n " + f.*hash + " " + std::to_string(f.size) + " " + (extra.empty() ? "" : extra + " ") + f.name;
  return out;
}

}  // namespace

FileHashes hash_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) throw InputError(path, 0, "file not found");
    throw_errno(path);
  }
  struct stat st {};
  init_gcrypt_once();
  Hashes h(kAll);
  bool ok = ::fstat(fd, &st) == 0 && h.AddFD(fd, static_cast<unsigned long long>(st.st_size));
  ::close(fd);
  if (!ok) throw OperationError(path + ": cannot read: " + take_apt_errors());
  size_t slash = path.rfind('/');
  return from_hashes(slash == std::string::npos ? path : path.substr(slash + 1),
                     static_cast<std::uint64_t>(st.st_size), h);
}

FileHashes hash_data(const std::string& name, const std::string& data) {
  init_gcrypt_once();
  Hashes h(kAll);
  h.Add(reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return from_hashes(name, data.size(), h);
}

std::string sha256_hex(const std::string& data) {
  init_gcrypt_once();
  Hashes h(Hashes::SHA256SUM);
  h.Add(reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return h.GetHashString(Hashes::SHA256SUM).HashValue();
}

std::string checksums_sha1(const std::vector<FileHashes>& f) { return lines(f, &FileHashes::sha1, ""); }
std::string checksums_sha256(const std::vector<FileHashes>& f) { return lines(f, &FileHashes::sha256, ""); }
std::string checksums_sha512(const std::vector<FileHashes>& f) { return lines(f, &FileHashes::sha512, ""); }
std::string files_md5(const std::vector<FileHashes>& f, const std::string& extra) {
  return lines(f, &FileHashes::md5, extra);
}

std::vector<ListedFile> parse_file_lines(const std::string& value, const std::string& where) {
  std::vector<ListedFile> out;
  std::istringstream in(value);
  std::string line;
  for (size_t n = 1; std::getline(in, line); ++n) {
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string x; words >> x;) w.push_back(x);
    if (w.empty()) continue;
    if (w.size() != 3 && w.size() != 5)
      throw InputError(where + ": file line " + std::to_string(n) + " has " + std::to_string(w.size()) +
                       " words (hash size [section priority] name)");
    ListedFile f;
    f.hash = w[0];
    auto [end, ec] = std::from_chars(w[1].data(), w[1].data() + w[1].size(), f.size);
    if (ec != std::errc() || end != w[1].data() + w[1].size())
      throw InputError(where + ": file line " + std::to_string(n) + ": size '" + w[1].substr(0, 40) + "' is not a number");
    if (w.size() == 5) {
      f.section = w[2];
      f.priority = w[3];
    }
    f.name = w.back();
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace hapkg::deb
