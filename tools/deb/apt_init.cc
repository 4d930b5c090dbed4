#include "deb/apt_init.h"

#include <apt-pkg/error.h>

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

}  // namespace hapkg::deb
