// A separate test program because the race is in the first Hashes a
// process makes (libapt-pkg initialises libgcrypt lazily there): each forked
// child starts with gcrypt uninitialised and hashes from several threads at
// once, as the pipeline's -j workers did when CI crashed. Without the
// one-time initialisation in hashes.cc about one child in fifteen died of
// SIGSEGV inside libgcrypt.
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "deb/hashes.h"

namespace {

int hash_from_threads_in_a_fresh_child() {
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
      threads.emplace_back([i] { (void)hapkg::deb::sha256_hex(std::string(64 + i, 'x')); });
    for (auto& t : threads) t.join();
    _exit(hapkg::deb::sha256_hex("abc") ==
                  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
              ? 0
              : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

}  // namespace

TEST(HashesThreads, FirstUseFromManyThreadsAtOnce) {
  for (int i = 0; i < 100; ++i) {
    int status = hash_from_threads_in_a_fresh_child();
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "child " << i << ": " << (WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status)) : "wrong hash");
  }
}
