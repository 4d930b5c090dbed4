// Progress of long work, for a person at a terminal: one line on stderr,
// redrawn in place, only when stderr is a terminal (never in a pipe, a log
// or CI), and erased when the work ends. Results stay on stdout.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace hapkg {

class Progress {
 public:
  // `what` names the work ("fetching indices"); `total` 0 when unknown.
  explicit Progress(std::string what, std::size_t total = 0);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress();

  // One more item done (or started): "what: 3/10 item". Redraws at most
  // ten times a second.
  void step(std::string_view item = {});
  bool shown() const { return enabled_; }

  // Whether progress is drawn at all: stderr is a terminal and the user did
  // not ask for -q. Set once by the front end.
  static void set_allowed(bool allowed);

 private:
  void draw(bool force);
  std::string what_;
  std::string item_;
  std::size_t total_, done_ = 0;
  bool enabled_;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace hapkg
