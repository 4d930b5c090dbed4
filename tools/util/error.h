// Errors and exit codes shared by every hapkg library and command.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace hapkg {

// The documented exit codes of every hapkg command.
enum class Exit : int {
  kOk = 0,        // success
  kProblem = 1,   // a check found a problem
  kUsage = 2,     // usage error or invalid input
  kFailure = 3,   // operational failure: I/O, missing tool, network
};

// An error that knows which exit code it maps to. The message is one line
// and, for bad input, starts with "file:line: ".
class Error : public std::runtime_error {
 public:
  Error(Exit code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  Exit code() const { return code_; }

 private:
  Exit code_;
};

// Invalid input: exit 2. `where` is "file" or "file:line".
class InputError : public Error {
 public:
  explicit InputError(const std::string& message) : Error(Exit::kUsage, message) {}
  InputError(const std::string& file, std::size_t line, const std::string& problem)
      : Error(Exit::kUsage, at(file, line) + ": " + problem) {}
  static std::string at(const std::string& file, std::size_t line) {
    return line ? file + ":" + std::to_string(line) : file;
  }
};

// Operational failure (I/O, a missing tool): exit 3.
class OperationError : public Error {
 public:
  explicit OperationError(const std::string& message) : Error(Exit::kFailure, message) {}
};

// "<what>: <strerror(errno)>" as an OperationError.
[[noreturn]] void throw_errno(const std::string& what);

}  // namespace hapkg
