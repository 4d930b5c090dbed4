// Loading a shared library on first use instead of linking it: the few
// functions a module calls, resolved by name into a table (curl_api.h,
// archive_api.h). Plain C++ and libdl only: the agents use it too.
#pragma once

#include <dlfcn.h>

#include <initializer_list>
#include <string>
#include <type_traits>

namespace hapkg {

// dlopen()s the first of `sonames` that loads (RTLD_LOCAL: its symbols stay
// out of the global scope, so a library loaded later cannot bind to them by
// accident) and sets `soname`; nullptr and `error` = "cannot load WHAT
// (each soname's dlerror(), '; '-separated)" if none does.
void* dl_open_first(std::initializer_list<const char*> sonames, const std::string& what, std::string& soname,
                    std::string& error);

// Resolves `name` from `handle` into the function pointer `fn`; a name that
// is not there is appended to `missing` (", "-separated).
template <typename Fn>
void dl_resolve(void* handle, Fn& fn, const char* name, std::string& missing) {
  fn = reinterpret_cast<std::remove_reference_t<Fn>>(::dlsym(handle, name));
  if (!fn) missing += (missing.empty() ? "" : ", ") + std::string(name);
}

}  // namespace hapkg
