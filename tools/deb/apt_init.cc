#include "deb/apt_init.h"

#include <apt-pkg/error.h>
#include <apt-pkg/fileutl.h>
#include <apt-pkg/gpgv.h>

#include "util/error.h"

namespace hapkg::deb {

std::string take_apt_errors() {
  std::string all;
  while (!_error->empty()) {
    std::string msg;
    _error->PopMessage(msg);
    if (!all.empty()) all += "; ";
    all += msg;
  }
  return all;
}

std::string read_apt_file(const std::string& path, bool clearsigned) {
  FileFd fd;
  bool ok = clearsigned ? OpenMaybeClearSignedFile(path, fd) : fd.Open(path, FileFd::ReadOnly, FileFd::Extension);
  if (!ok) {
    std::string why = take_apt_errors();
    throw InputError(path + ": cannot read" + (why.empty() ? "" : ": " + why));
  }
  std::string text;
  char buf[1 << 16];
  for (;;) {
    unsigned long long got = 0;
    if (!fd.Read(buf, sizeof buf, &got)) {
      std::string why = take_apt_errors();
      throw InputError(path + ": cannot read (corrupt or truncated?)" + (why.empty() ? "" : ": " + why));
    }
    if (got == 0) break;
    text.append(buf, got);
  }
  take_apt_errors();
  return text;
}

}  // namespace hapkg::deb
