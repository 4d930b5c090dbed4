#include "archive/pool.h"

#include <sys/stat.h>

#include <filesystem>

#include "util/error.h"
#include "util/file.h"

namespace hapkg::archive {

bool copy_into_pool(const std::string& src, const std::string& dest, const deb::FileHashes& h) {
  struct stat st {};
  if (::lstat(dest.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode)) throw InputError(dest, 0, "exists in the pool and is not a regular file");
    if (deb::hash_file(dest).sha256 != h.sha256)
      throw InputError(src, 0, "already in the archive as " + dest + " with different content");
    return false;
  }
  std::filesystem::create_directories(std::filesystem::path(dest).parent_path());
  write_file_atomic(dest, read_file(src), 0644);
  return true;
}

}  // namespace hapkg::archive
