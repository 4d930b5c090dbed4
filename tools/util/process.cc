#include "process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "error.h"

extern char** environ;

namespace hapkg {
namespace {

struct Pipe {
  int fds[2] = {-1, -1};
  Pipe() {
    if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno("pipe");
  }
  ~Pipe() { close_all(); }
  void close_end(int i) {
    if (fds[i] >= 0) ::close(fds[i]);
    fds[i] = -1;
  }
  void close_all() {
    close_end(0);
    close_end(1);
  }
};

std::vector<char*> c_strings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  out.reserve(v.size() + 1);
  for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  if (argv.empty()) throw OperationError("run_process: empty command");
  Pipe in, out, err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fds[0], 0);
  bool to_fd = options.output_fd >= 0;
  posix_spawn_file_actions_adddup2(&actions, to_fd ? options.output_fd : out.fds[1], 1);
  if (to_fd) posix_spawn_file_actions_adddup2(&actions, options.output_fd, 2);
  else if (options.capture_stderr) posix_spawn_file_actions_adddup2(&actions, err.fds[1], 2);
  if (!options.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, options.cwd.c_str());

  // posix_spawn cannot set PR_SET_PDEATHSIG; setpriv sets it and execs
  // argv. The kernel sends it when the spawning thread ends, and
  // run_process keeps that thread here until the child is reaped.
  std::vector<std::string> wrapped;
  if (options.die_with_parent) {
    wrapped = {"setpriv", "--pdeathsig", "KILL", "--"};
    wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  }
  auto args = c_strings(options.die_with_parent ? wrapped : argv);
  std::vector<char*> envp;
  if (options.env) envp = c_strings(*options.env);
  // We ignore SIGPIPE (below) to survive a child that stops reading its
  // stdin; the child must get the default back, or its own pipelines (a
  // gunzip feeding a reader that stops early) fail with EPIPE instead of
  // ending quietly.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
  pid_t pid;
  int rc = ::posix_spawnp(&pid, args[0], &actions, &attr, args.data(),
                          options.env ? envp.data() : environ);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw OperationError("cannot run " + argv[0] + ": " + std::strerror(rc));
  in.close_end(0);
  out.close_end(1);
  err.close_end(1);
  if (!options.capture_stderr || to_fd) err.close_all();
  if (to_fd) out.close_all();

  ProcessResult result;
  size_t written = 0;
  if (options.input.empty()) in.close_end(1);
  else ::fcntl(in.fds[1], F_SETFL, ::fcntl(in.fds[1], F_GETFL) | O_NONBLOCK);
  // A bounded pipe in each direction: poll so a child that writes a lot while
  // we are still feeding it stdin cannot deadlock us.
  signal(SIGPIPE, SIG_IGN);
  while (out.fds[0] >= 0 || err.fds[0] >= 0 || in.fds[1] >= 0) {
    pollfd pfd[3];
    int n = 0;
    int idx_out = -1, idx_err = -1, idx_in = -1;
    if (out.fds[0] >= 0) { idx_out = n; pfd[n++] = {out.fds[0], POLLIN, 0}; }
    if (err.fds[0] >= 0) { idx_err = n; pfd[n++] = {err.fds[0], POLLIN, 0}; }
    if (in.fds[1] >= 0) { idx_in = n; pfd[n++] = {in.fds[1], POLLOUT, 0}; }
    if (::poll(pfd, static_cast<nfds_t>(n), -1) < 0) {
      if (errno == EINTR) continue;
      throw_errno("poll");
    }
    char buf[65536];
    auto drain = [&](int idx, Pipe& p, std::string& sink) {
      if (idx < 0 || !(pfd[idx].revents & (POLLIN | POLLHUP | POLLERR))) return;
      ssize_t r = ::read(p.fds[0], buf, sizeof buf);
      if (r > 0) sink.append(buf, static_cast<size_t>(r));
      else if (r == 0 || errno != EINTR) p.close_end(0);
    };
    drain(idx_out, out, result.out);
    drain(idx_err, err, result.err);
    if (idx_in >= 0 && (pfd[idx_in].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t w = ::write(in.fds[1], options.input.data() + written, options.input.size() - written);
      if (w > 0) written += static_cast<size_t>(w);
      if (w < 0 && errno != EINTR && errno != EAGAIN) in.close_end(1);
      if (written >= options.input.size()) in.close_end(1);
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw_errno("waitpid");
  }
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace hapkg
