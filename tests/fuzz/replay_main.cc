// Runs a fuzz target's entry point once on every file named on the command
// line (or found in a directory named there), the way a libFuzzer binary
// does when given files: the regression corpus replayed in the ordinary
// (gcc) build, where libFuzzer is not available. A crash or an escaping
// exception ends the process with the file named on stderr; as in
// libFuzzer, an input running over 10 s is a hang and memory is limited
// (2 GiB), so a runaway parser cannot take the machine with it.
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

char current_input[4096];

void on_alarm(int) {
  const char prefix[] = "fuzz replay: timeout (over 10 s) on ";
  (void)!write(2, prefix, sizeof prefix - 1);
  (void)!write(2, current_input, strlen(current_input));
  (void)!write(2, "\n", 1);
  _exit(70);
}

}  // namespace

int main(int argc, char** argv) {
  const rlimit memory{2UL << 30, 2UL << 30};
  setrlimit(RLIMIT_AS, &memory);
  std::signal(SIGALRM, on_alarm);
  std::vector<std::filesystem::path> inputs;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path p(argv[i]);
    if (std::filesystem::is_directory(p)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(p))
        if (e.is_regular_file()) inputs.push_back(e.path());
    } else {
      inputs.push_back(p);
    }
  }
  if (inputs.empty()) {
    std::cerr << "fuzz replay: no input files given\n";
    return 2;
  }
  for (const auto& p : inputs) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      std::cerr << "fuzz replay: cannot read " << p.string() << "\n";
      return 3;
    }
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::cerr << "fuzz replay: " << p.string() << " (" << data.size() << " bytes)\n";
    std::snprintf(current_input, sizeof current_input, "%s", p.c_str());
    alarm(10);
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
    alarm(0);
  }
  std::cout << "fuzz replay: " << inputs.size() << " inputs, no crash\n";
  return 0;
}
