#include "ocf/pidfile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "ocf/ocf.h"

namespace hapkg::ocf {

std::string render_pidfile(const Identity& id) {
  return std::to_string(id.pid) + "\n" + std::to_string(id.start_time) + " " + id.binary + "\n";
}

std::optional<Identity> parse_pidfile(const std::string& text, const std::string& binary) {
  std::istringstream in(text);
  std::string pid_text;
  if (!(in >> pid_text)) return std::nullopt;
  char* end = nullptr;
  long pid = std::strtol(pid_text.c_str(), &end, 10);
  if (*end != '\0' || pid <= 1 || pid > 0x3fffffff) return std::nullopt;
  Identity id{static_cast<pid_t>(pid), 0, binary};
  unsigned long long start = 0;
  std::string recorded;
  if (in >> start) {
    id.start_time = start;
    if (in >> recorded && !recorded.empty()) id.binary = recorded;
  }
  return id;
}

void write_pidfile(const std::string& path, const Identity& id) {
  auto slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  if (!dir.empty()) ::mkdir(dir.c_str(), 0755);  // an existing one is fine
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0)
    throw Failure{kErrGeneric, "cannot create pid file " + tmp + ": " + std::strerror(errno)};
  std::string text = render_pidfile(id);
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw Failure{kErrGeneric, "cannot write pid file " + path + ": " + std::strerror(err)};
  }
}

std::optional<Identity> read_pidfile(const std::string& path, const std::string& binary) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char buf[4096];
  ssize_t n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  if (n <= 0) return std::nullopt;
  return parse_pidfile(std::string(buf, static_cast<size_t>(n)), binary);
}

void remove_pidfile(const std::string& path) { ::unlink(path.c_str()); }

}  // namespace hapkg::ocf
