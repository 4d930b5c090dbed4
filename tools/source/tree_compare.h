// Compares upstream files, as the orig tarball streams by, with a source
// tree on a second thread: the decompression stays on the calling thread
// while the tree's files are read (most of the build's system time).
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace hapkg::source {

class TreeComparer {
 public:
  explicit TreeComparer(std::string dir);
  ~TreeComparer();
  TreeComparer(const TreeComparer&) = delete;
  TreeComparer& operator=(const TreeComparer&) = delete;

  // Queues tree/<rel> against `content` (type '0' file data, '2' symlink
  // target). Blocks while too much is queued (bounded memory).
  void add(std::string rel, char type, std::string content);
  // Waits for every queued comparison; rethrows the worker's error.
  void finish();

  std::set<std::string> differs;     // valid after finish()
  std::vector<std::string> removed;  // missing from the tree, sorted, after finish()

 private:
  struct Job {
    std::string rel;
    char type;
    std::string content;
  };
  void run();

  std::string dir_;
  std::mutex mu_;
  std::condition_variable ready_, space_;
  std::deque<Job> queue_;
  size_t queued_bytes_ = 0;
  bool done_ = false, finished_ = false;
  std::exception_ptr error_;
  std::thread worker_;
};

}  // namespace hapkg::source
