// File helpers: whole-file reads and atomic writes (temp file + rename), so
// that no command ever leaves a half-written output under its final name.
#pragma once

#include <string>
#include <string_view>

namespace hapkg {

// Reads a whole file; throws OperationError (exit 3) when it cannot, or
// InputError (exit 2) when `missing_is_input_error` and it does not exist.
std::string read_file(const std::string& path, bool missing_is_input_error = true);

// The directory holding `path` and its last component, trailing slashes
// ignored ("a/b/" -> "a" and "b"; "b" -> "." and "b"; "/b" -> "/" and "b").
std::string parent_dir(const std::string& path);
std::string base_name(const std::string& path);

// Writes `data` to `path` atomically: a temp file beside it (created with
// O_EXCL|O_NOFOLLOW, so a planted symlink is never followed), fsync, rename.
void write_file_atomic(const std::string& path, std::string_view data, int mode = 0644);

// An output file that only appears under its final name on commit().
// Destroying it uncommitted removes the temp file.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path, int mode = 0644);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  int fd() const { return fd_; }
  const std::string& temp_path() const { return temp_; }
  void write(std::string_view data);
  void commit();

 private:
  std::string path_;
  std::string temp_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace hapkg
