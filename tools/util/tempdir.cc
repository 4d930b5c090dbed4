#include "util/tempdir.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>

#include "util/error.h"

namespace hapkg {

namespace {
std::string default_parent() {
  const char* tmpdir = std::getenv("TMPDIR");
  return tmpdir && *tmpdir ? tmpdir : "/tmp";
}
}  // namespace

TempDir::TempDir(const std::string& prefix) : TempDir(prefix, default_parent()) {}

TempDir::TempDir(const std::string& prefix, const std::string& parent) {
  path_ = parent + "/" + prefix + "-XXXXXX";
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
