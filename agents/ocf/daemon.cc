#include "ocf/daemon.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "ocf/log.h"
#include "ocf/ocf.h"
#include "ocf/pidfile.h"

namespace hapkg::ocf {
namespace {

void sleep_ms(long ms) {
  struct timespec ts {ms / 1000, (ms % 1000) * 1000000L};
  while (::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

bool executable_file(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
}

// In the child: report "stage: strerror" to the parent and exit.
[[noreturn]] void child_fail(int fd, const char* stage) {
  int err = errno;
  char msg[256];
  int n = std::snprintf(msg, sizeof msg, "%s: %s", stage, std::strerror(err));
  if (n > 0) {
    ssize_t w = ::write(fd, msg, static_cast<size_t>(n));
    (void)w;
  }
  ::_exit(127);
}

}  // namespace

long monotonic_ms() {
  struct timespec ts {};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

std::string find_binary(const std::string& name) {
  if (name.empty()) return {};
  if (name.find('/') != std::string::npos) return executable_file(name) ? name : std::string();
  std::istringstream dirs(kDaemonPath);
  for (std::string dir; std::getline(dirs, dir, ':');)
    if (executable_file(dir + "/" + name)) return dir + "/" + name;
  return {};
}

Identity spawn(const DaemonSpec& spec) {
  // Everything the child needs is prepared before fork: after it only
  // async-signal-safe calls run.
  struct passwd pw {};
  struct passwd* found = nullptr;
  std::vector<char> pwbuf(16384);
  bool drop = !spec.user.empty();
  if (drop && (::getpwnam_r(spec.user.c_str(), &pw, pwbuf.data(), pwbuf.size(), &found) != 0 || !found))
    throw Failure{kErrInstalled, "user " + spec.user + " does not exist"};
  if (drop && ::geteuid() != 0 && pw.pw_uid != ::geteuid())
    throw Failure{kErrPerm, "cannot run as user " + spec.user + " without root privileges"};
  std::vector<std::string> env = {std::string("PATH=") + kDaemonPath, "LANG=C.UTF-8"};
  if (drop) {
    env.push_back(std::string("HOME=") + pw.pw_dir);
    env.push_back("USER=" + spec.user);
    env.push_back("LOGNAME=" + spec.user);
  }
  env.insert(env.end(), spec.extra_env.begin(), spec.extra_env.end());
  std::vector<char*> envp, argv;
  for (auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  for (auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::string log_path = spec.log_file.empty() ? "/dev/null" : spec.log_file;

  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) throw Failure{kErrGeneric, std::string("pipe: ") + std::strerror(errno)};
  pid_t pid = ::fork();
  if (pid < 0) throw Failure{kErrGeneric, std::string("fork: ") + std::strerror(errno)};
  if (pid == 0) {
    ::close(pipefd[0]);
    int w = pipefd[1];
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int s = 1; s < NSIG; ++s) ::signal(s, SIG_DFL);
    if (::setsid() < 0) child_fail(w, "setsid");
    if (drop) {
      if (::initgroups(pw.pw_name, pw.pw_gid) != 0 && ::geteuid() == 0) child_fail(w, "initgroups");
      if (::setgid(pw.pw_gid) != 0) child_fail(w, "setgid");
      if (::setuid(pw.pw_uid) != 0) child_fail(w, "setuid");
    }
    if (::chdir("/") != 0) child_fail(w, "chdir /");
    int in = ::open("/dev/null", O_RDONLY);
    int out = ::open(log_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0640);
    if (in < 0) child_fail(w, "open /dev/null");
    if (out < 0) child_fail(w, "open log file");
    if (::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(out, 2) < 0) child_fail(w, "dup2");
    if (in > 2) ::close(in);
    if (out > 2) ::close(out);
    // Every other inherited descriptor closes on exec (the pipe included).
    ::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
    ::execve(spec.path.c_str(), argv.data(), envp.data());
    child_fail(w, "exec");
  }
  ::close(pipefd[1]);
  Identity id{pid, 0, spec.binary_name};
  if (auto st = read_stat(pid)) id.start_time = st->start_time;
  char msg[256];
  ssize_t n;
  do {
    n = ::read(pipefd[0], msg, sizeof msg - 1);
  } while (n < 0 && errno == EINTR);
  ::close(pipefd[0]);
  if (n > 0) {
    ::waitpid(pid, nullptr, 0);
    std::string what(msg, static_cast<size_t>(n));
    Rc rc = what.rfind("open log", 0) == 0 ? kErrPerm : kErrGeneric;
    throw Failure{rc, "cannot start " + spec.path + ": " + what};
  }
  try {
    write_pidfile(spec.pid_file, id);
  } catch (...) {
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    throw;
  }
  log(Level::kInfo, "started " + spec.path + " as pid " + std::to_string(pid));
  return id;
}

std::optional<Identity> running(const std::string& pid_file, const std::string& binary_name,
                                const std::function<bool(const Identity&)>& verify_legacy) {
  auto id = read_pidfile(pid_file, binary_name);
  if (!id) return std::nullopt;
  if (!matches(*id) || (id->start_time == 0 && !(verify_legacy && verify_legacy(*id)))) {
    log(Level::kDebug, "pid file " + pid_file + " names pid " + std::to_string(id->pid) +
                           ", which is not (proven to be) our daemon");
    return std::nullopt;
  }
  // Verified now: from here on (a stop's wait loop) a reused pid is told apart.
  if (id->start_time == 0)
    if (auto st = read_stat(id->pid)) id->start_time = st->start_time;
  return id;
}

void wait_healthy(const Identity& child, const std::function<std::string()>& healthy,
                  long deadline_ms, long poll_ms) {
  std::string last = "no health check ran";
  for (;;) {
    int status = 0;
    pid_t r = ::waitpid(child.pid, &status, WNOHANG);
    if (r == child.pid || (r < 0 && errno == ECHILD && !is_alive(child.pid))) {
      std::string how = r == child.pid && WIFEXITED(status) ? "exited with status " + std::to_string(WEXITSTATUS(status))
                        : r == child.pid && WIFSIGNALED(status) ? "was killed by signal " + std::to_string(WTERMSIG(status))
                                                                : "exited";
      throw Failure{kErrGeneric, child.binary + " " + how + " during start (see its log)"};
    }
    last = healthy();
    if (last.empty()) return;
    log(Level::kDebug, "not healthy yet: " + last);
    if (monotonic_ms() + poll_ms >= deadline_ms)
      throw Failure{kErrGeneric, child.binary + " did not become healthy in time: " + last};
    sleep_ms(poll_ms);
  }
}

bool stop_daemon(const Identity& id, long term_wait_ms, long kill_wait_ms) {
  auto st = read_stat(id.pid);
  bool group = st && st->pgrp == id.pid;  // we made it a session leader
  pid_t target = group ? -id.pid : id.pid;
  if (!matches(id)) return true;
  log(Level::kInfo, "stopping pid " + std::to_string(id.pid) + " with SIGTERM");
  ::kill(target, SIGTERM);
  ::kill(target, SIGCONT);  // a stopped (SIGSTOP) daemon gets the SIGTERM too
  long end = monotonic_ms() + term_wait_ms;
  while (matches(id) && monotonic_ms() < end) sleep_ms(100);
  if (matches(id)) {
    log(Level::kWarn, "pid " + std::to_string(id.pid) + " ignored SIGTERM, sending SIGKILL");
    ::kill(target, SIGKILL);
    end = monotonic_ms() + kill_wait_ms;
    while (matches(id) && monotonic_ms() < end) sleep_ms(50);
  }
  // Leftover workers of the group. Only while the leader still exists (as
  // a zombie): then neither its pid nor its group id can have been reused.
  if (group) {
    auto now = read_stat(id.pid);
    if (now && now->start_time == st->start_time) ::kill(-id.pid, SIGKILL);
  }
  return !matches(id);
}

}  // namespace hapkg::ocf
