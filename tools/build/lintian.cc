#include "build/lintian.h"

#include <sstream>

#include "build/binary_build.h"
#include "util/error.h"
#include "util/process.h"
#include "util/strings.h"

namespace hapkg::build {

std::vector<std::string> lintian_tag_lines(const std::string& output) {
  std::vector<std::string> tags;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("E: ", 0) == 0 || line.rfind("W: ", 0) == 0) tags.push_back(line);
  return tags;
}

std::vector<std::string> run_lintian(const std::vector<std::string>& files) {
  if (files.empty()) throw InputError("lintian: no files given");
  // --fail-on none: the exit status then only says whether lintian ran;
  // the verdict is in the tags.
  std::vector<std::string> argv = {"lintian", "--fail-on", "none", "--no-tag-display-limit", "--"};
  argv.insert(argv.end(), files.begin(), files.end());
  ProcessOptions o;
  o.env = std::vector<std::string>{"PATH=/usr/bin:/bin", "LC_ALL=C.UTF-8", "HOME=/nonexistent"};
  auto r = run_process(argv, o);
  if (r.exit_status != 0) throw OperationError("lintian failed (exit " + std::to_string(r.exit_status) + "): " + first_line(r.err));
  return lintian_tag_lines(r.out);
}

}  // namespace hapkg::build
