// setup_logging: everything on stderr as "hapkg: LEVEL: message", the
// verbosity choosing the level. stderr is pointed at a file for the test.
#include "util/log.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg {
namespace {

// Logs one message of each level with `verbosity` and returns stderr.
std::string log_all(int verbosity) {
  TempDir t("hapkg-log-test");
  std::string path = t.path() + "/stderr";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int saved = ::dup(STDERR_FILENO);
  ::dup2(fd, STDERR_FILENO);
  spdlog::drop("hapkg");  // one logger of that name at a time
  setup_logging(verbosity, ColorMode::kNever);
  spdlog::debug("d");
  spdlog::info("i");
  spdlog::warn("w");
  spdlog::error("e");
  spdlog::default_logger()->flush();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  ::close(fd);
  return read_file(path);
}

TEST(Log, VerbositySelectsTheLevel) {
  EXPECT_EQ(log_all(-1), "hapkg: error: e\n");
  EXPECT_EQ(log_all(0), "hapkg: info: i\nhapkg: warning: w\nhapkg: error: e\n");
  EXPECT_EQ(log_all(2), "hapkg: debug: d\nhapkg: info: i\nhapkg: warning: w\nhapkg: error: e\n");
}

}  // namespace
}  // namespace hapkg
