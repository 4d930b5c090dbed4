#include "util/dl.h"

namespace hapkg {

void* dl_open_first(std::initializer_list<const char*> sonames, const std::string& what, std::string& soname,
                    std::string& error) {
  std::string tried;
  for (const char* name : sonames) {
    if (void* h = ::dlopen(name, RTLD_LAZY | RTLD_LOCAL)) {
      soname = name;
      return h;
    }
    const char* why = ::dlerror();
    tried += (tried.empty() ? "" : "; ") + std::string(why ? why : name);
  }
  error = "cannot load " + what + " (" + tried + ")";
  return nullptr;
}

bool dl_complete(void* handle, const std::string& soname, const std::string& missing, std::string& error) {
  if (missing.empty()) return true;
  error = soname + " lacks " + missing;
  ::dlclose(handle);
  return false;
}

}  // namespace hapkg
