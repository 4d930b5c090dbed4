// Progress: drawn on stderr only when stderr is a terminal and progress is
// allowed; nothing at all otherwise (a pipe, a log, CI). The terminal is a
// pseudo-terminal this test opens.
#include "util/progress.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg {
namespace {

// Points fd 2 at `fd` for the scope, then restores it.
class StderrTo {
 public:
  explicit StderrTo(int fd) : saved_(::dup(STDERR_FILENO)) {
    std::fflush(stderr);
    ::dup2(fd, STDERR_FILENO);
  }
  ~StderrTo() {
    std::fflush(stderr);
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
  }

 private:
  int saved_;
};

void run_some_progress() {
  Progress p("fetching indices", 3);
  p.step("one");
  p.step("two");
  p.step("three");
}

TEST(Progress, NothingWrittenWhenStderrIsNotATerminal) {
  Progress::set_allowed(true);
  TempDir t("hapkg-progress-test");
  std::string log = t.path() + "/stderr";
  int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  {
    StderrTo redirect(fd);
    Progress p("work");
    EXPECT_FALSE(p.shown());
    p.step("item");
  }
  { StderrTo redirect(fd); run_some_progress(); }
  ::close(fd);
  EXPECT_EQ(read_file(log), "");
}

// A pseudo-terminal pair: `slave` is a terminal for isatty.
struct Pty {
  int master = -1, slave = -1;
  Pty() {
    master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || ::grantpt(master) || ::unlockpt(master)) return;
    slave = ::open(::ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
    ::fcntl(master, F_SETFL, O_NONBLOCK);
  }
  ~Pty() {
    if (slave >= 0) ::close(slave);
    if (master >= 0) ::close(master);
  }
  std::string drain() const {
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::read(master, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
    return out;
  }
};

TEST(Progress, DrawnAndErasedOnATerminal) {
  Progress::set_allowed(true);
  Pty pty;
  ASSERT_GE(pty.slave, 0) << "cannot open a pseudo-terminal";
  ASSERT_TRUE(::isatty(pty.slave));
  {
    StderrTo redirect(pty.slave);
    run_some_progress();
  }
  std::string out = pty.drain();
  // The first draw (forced) and the last step (done == total, forced).
  EXPECT_NE(out.find("fetching indices: 0/3"), std::string::npos) << out;
  EXPECT_NE(out.find("fetching indices: 3/3 three"), std::string::npos) << out;
  EXPECT_EQ(out.substr(out.size() - 4), "\r\033[K") << "erased at the end";
}

TEST(Progress, SetAllowedFalseSilencesEvenATerminal) {
  Pty pty;
  ASSERT_GE(pty.slave, 0) << "cannot open a pseudo-terminal";
  Progress::set_allowed(false);
  bool shown = true;
  {
    StderrTo redirect(pty.slave);
    Progress p("quiet", 1);
    shown = p.shown();
    p.step("x");
  }
  Progress::set_allowed(true);
  EXPECT_FALSE(shown);
  EXPECT_EQ(pty.drain(), "");
}

}  // namespace
}  // namespace hapkg
