#include "archive/pool.h"

#include <apt-pkg/fileutl.h>
#include <apt-pkg/hashes.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "deb/apt_init.h"
#include "util/error.h"
#include "util/file.h"

namespace hapkg::archive {

FileHashes hash_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) throw InputError(path, 0, "file not found");
    throw_errno(path);
  }
  struct stat st {};
  ::fstat(fd, &st);
  Hashes h(Hashes::MD5SUM | Hashes::SHA1SUM | Hashes::SHA256SUM | Hashes::SHA512SUM);
  bool ok = h.AddFD(fd);
  ::close(fd);
  if (!ok) throw OperationError(path + ": cannot read: " + deb::take_apt_errors());
  HashStringList l = h.GetHashStringList();
  FileHashes r;
  r.size = static_cast<std::uint64_t>(st.st_size);
  r.md5 = l.find("MD5Sum")->HashValue();
  r.sha1 = l.find("SHA1")->HashValue();
  r.sha256 = l.find("SHA256")->HashValue();
  r.sha512 = l.find("SHA512")->HashValue();
  return r;
}

void make_dirs(const std::string& path) {
  std::string cur;
  for (std::size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || (path[i] == '/' && i > 0)) {
      cur = path.substr(0, i);
      if (::mkdir(cur.c_str(), 0755) != 0 && errno != EEXIST) throw_errno("mkdir " + cur);
    }
  }
}

std::string sha256_hex(const std::string& data) {
  Hashes h(Hashes::SHA256SUM);
  h.Add(reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return h.GetHashString(Hashes::SHA256SUM).HashValue();
}

bool copy_into_pool(const std::string& src, const std::string& dest, const FileHashes& h) {
  struct stat st {};
  if (::lstat(dest.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode)) throw InputError(dest, 0, "exists in the pool and is not a regular file");
    if (hash_file(dest).sha256 != h.sha256)
      throw InputError(src, 0, "already in the archive as " + dest + " with different content");
    return false;
  }
  auto slash = dest.rfind('/');
  make_dirs(dest.substr(0, slash));
  write_file_atomic(dest, read_file(src), 0644);
  return true;
}

}  // namespace hapkg::archive
