// The error types' exit codes and messages, and throw_errno.
#include "util/error.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace hapkg {
namespace {

TEST(Error, InputErrorNamesFileAndLine) {
  InputError e("debian/watch", 3, "no version in the pattern");
  EXPECT_EQ(std::string(e.what()), "debian/watch:3: no version in the pattern");
  EXPECT_EQ(e.code(), Exit::kUsage);
  EXPECT_EQ(std::string(InputError("debian/watch", 0, "empty").what()), "debian/watch: empty") << "line 0: no line";
}

TEST(Error, ThrowErrnoIsAnOperationErrorWithStrerror) {
  errno = ENOENT;
  try {
    throw_errno("opening /x");
  } catch (const OperationError& e) {
    EXPECT_EQ(std::string(e.what()), "opening /x: No such file or directory");
    EXPECT_EQ(e.code(), Exit::kFailure);
    return;
  }
  FAIL();
}

}  // namespace
}  // namespace hapkg
