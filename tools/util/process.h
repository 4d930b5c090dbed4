// Running external tools without a shell: argv goes straight to execvp, so
// no user-supplied string is ever interpreted by /bin/sh.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace hapkg {

struct ProcessResult {
  int exit_status = -1;  // exit code, or 128+signal when killed by a signal
  std::string out;       // captured stdout
  std::string err;       // captured stderr
};

struct ProcessOptions {
  std::string cwd;                                // empty: inherit
  std::optional<std::vector<std::string>> env;    // nullopt: inherit
  std::string input;                              // written to stdin
  bool capture_stderr = true;                     // false: inherit stderr
  // >= 0: the child's stdout and stderr both go to this descriptor (a log
  // file opened for appending) as they are written, and nothing is
  // captured: a 10-minute build's log can be followed while it runs.
  int output_fd = -1;
  // The child gets SIGKILL when this process dies (even by SIGKILL), set by
  // util-linux's setpriv --pdeathsig before it execs argv: a chroot build
  // must not outlive a killed pipeline run that would then resume beside it.
  bool die_with_parent = false;
};

// Runs argv[0] (looked up in PATH) with `argv`. Throws OperationError (exit 3)
// if the program cannot be started, e.g. a tool that is not installed.
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

}  // namespace hapkg
