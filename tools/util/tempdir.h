// A private temporary directory (mkdtemp under $TMPDIR or /tmp), removed
// with everything in it when the object goes out of scope.
#pragma once

#include <string>

namespace hapkg {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "hapkg");
  // In `parent` instead (e.g. beside where its content is renamed to).
  TempDir(const std::string& prefix, const std::string& parent);
  // Releases the directory: the destructor then leaves it in place (an
  // output that was renamed out of it, or a directory kept on purpose).
  std::string release();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace hapkg
