#include "error.h"

#include <cerrno>
#include <cstring>

namespace hapkg {

void throw_errno(const std::string& what) {
  throw OperationError(what + ": " + std::strerror(errno));
}

}  // namespace hapkg
