#include "util/tempdir.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>

#include "util/error.h"

namespace hapkg {

TempDir::TempDir(const std::string& prefix) {
  const char* tmpdir = std::getenv("TMPDIR");
  path_ = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/" + prefix + "-XXXXXX";
  if (!::mkdtemp(path_.data())) throw_errno("creating a temporary directory in " + path_);
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::release() {
  std::string p = std::move(path_);
  path_.clear();
  return p;
}

}  // namespace hapkg
