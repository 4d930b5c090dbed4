#include "ocf/ini.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "util/strings.h"

namespace hapkg::ocf {

std::optional<std::string> ini_value(const std::string& text, const std::string& section,
                                     const std::string& key) {
  std::istringstream in(text);
  std::string line, current;
  std::optional<std::string> found;
  bool in_value = false;  // the last line set `key`: indented lines continue it
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string t = hapkg::trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') {
      in_value = false;
      continue;
    }
    if (in_value && (line[0] == ' ' || line[0] == '\t')) {
      *found += "\n" + t;
      continue;
    }
    in_value = false;
    if (t.front() == '[' && t.back() == ']') {
      current = hapkg::trim(t.substr(1, t.size() - 2));
      continue;
    }
    if (current != section) continue;
    size_t sep = t.find_first_of("=:");
    if (sep == std::string::npos || hapkg::trim(t.substr(0, sep)) != key) continue;
    found = hapkg::trim(t.substr(sep + 1));
    in_value = true;
  }
  return found;
}

std::optional<std::string> ini_file_value(const std::string& path, const std::string& section,
                                          const std::string& key, std::string* error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (error) *error = path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::string text;
  char buf[8192];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0 && text.size() < (4u << 20))
    text.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return ini_value(text, section, key);
}

}  // namespace hapkg::ocf
