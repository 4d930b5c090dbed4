#include "source/tree_compare.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "util/error.h"

namespace hapkg::source {
namespace {

constexpr size_t kMaxQueuedBytes = 2 << 20;

// The regular file at `path` holds exactly `data`. 0: same, 1: differs,
// 2: missing.
int compare_file(const std::string& path, const std::string& data) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return errno == ENOENT ? 2 : 1;
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || static_cast<size_t>(st.st_size) != data.size()) {
    ::close(fd);
    return 1;
  }
  char buf[1 << 16];
  size_t off = 0;
  int result = 0;
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n < 0 || off != data.size()) result = 1;
      break;
    }
    if (off + static_cast<size_t>(n) > data.size() || std::memcmp(buf, data.data() + off, static_cast<size_t>(n)) != 0) {
      result = 1;
      break;
    }
    off += static_cast<size_t>(n);
  }
  ::close(fd);
  return result;
}

}  // namespace

TreeComparer::TreeComparer(std::string dir) : dir_(std::move(dir)), worker_([this] { run(); }) {}

TreeComparer::~TreeComparer() {
  try {
    finish();
  } catch (...) {
  }
}

void TreeComparer::add(std::string rel, char type, std::string content) {
  std::unique_lock<std::mutex> lock(mu_);
  space_.wait(lock, [this] { return queued_bytes_ < kMaxQueuedBytes || error_; });
  if (error_) return;  // reported by finish()
  queued_bytes_ += content.size();
  queue_.push_back({std::move(rel), type, std::move(content)});
  ready_.notify_one();
}

void TreeComparer::finish() {
  if (finished_) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  ready_.notify_one();
  worker_.join();
  finished_ = true;
  std::sort(removed.begin(), removed.end());
  if (error_) std::rethrow_exception(error_);
}

void TreeComparer::run() {
  while (true) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      ready_.wait(lock, [this] { return !queue_.empty() || done_; });
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      queued_bytes_ -= job.content.size();
    }
    space_.notify_one();
    try {
      std::string path = dir_ + "/" + job.rel;
      if (job.type == '2') {
        char buf[4096];
        ssize_t n = ::readlink(path.c_str(), buf, sizeof buf);
        if (n < 0 && errno == ENOENT) removed.push_back(job.rel);
        else if (n < 0 || std::string(buf, static_cast<size_t>(n)) != job.content) differs.insert(job.rel);
      } else {
        int r = compare_file(path, job.content);
        if (r == 2) removed.push_back(job.rel);
        else if (r == 1) differs.insert(job.rel);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu_);
      error_ = std::current_exception();
      space_.notify_all();
      return;
    }
  }
}

}  // namespace hapkg::source
