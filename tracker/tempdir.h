// A private temporary directory (mkdtemp under $TMPDIR or /tmp), removed
// with everything in it when the object goes out of scope.
#pragma once

#include <string>

namespace hapkg::tracker {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "hapkg-track");
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace hapkg::tracker
