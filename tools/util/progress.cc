#include "util/progress.h"

#include <unistd.h>

#include <cstdio>

namespace hapkg {

namespace {
bool g_allowed = true;
}

void Progress::set_allowed(bool allowed) { g_allowed = allowed; }

Progress::Progress(std::string what, std::size_t total)
    : what_(std::move(what)), total_(total), enabled_(g_allowed && ::isatty(STDERR_FILENO)) {
  draw(true);
}

Progress::~Progress() {
  if (enabled_) std::fputs("\r\033[K", stderr);
}

void Progress::step(std::string_view item) {
  ++done_;
  item_ = std::string(item.substr(0, 60));
  draw(done_ == total_);
}

void Progress::draw(bool force) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (!force && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  std::string line = what_ + ": " + std::to_string(done_);
  if (total_) line += "/" + std::to_string(total_);
  if (!item_.empty()) line += " " + item_;
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
}

}  // namespace hapkg
