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

// After the dl_resolve calls: true if nothing is missing; otherwise
// `error` = "SONAME lacks NAME, NAME", the library is dlclose()d and false.
bool dl_complete(void* handle, const std::string& soname, const std::string& missing, std::string& error);

// A table loaded once per process: `load(api, error)` runs on the first
// call from a call site (each lambda is its own type, so its own static)
// and its result is returned ever after, failure included.
template <typename Api>
struct DlLoaded {
  Api api{};
  std::string error;
  bool ok = false;
};
template <typename Api, typename Load>
const DlLoaded<Api>& dl_load_once(Load load) {
  static const DlLoaded<Api> l = [&] {
    DlLoaded<Api> x;
    x.ok = load(x.api, x.error);
    return x;
  }();
  return l;
}

}  // namespace hapkg

// A table's functions are listed once, as X(member, c_function) entries of
// an X-macro (curl_api.cc, archive_api.cc); these two expand each entry:
// the member's type checked against the C header's declaration at compile
// time, and the member resolved by the function's name. They expect `api`,
// `handle` and `missing` in scope.
#define HAPKG_DL_SAME_TYPE(Table, member, fn) \
  static_assert(std::is_same_v<decltype(Table::member), decltype(&fn)>, #fn);
#define HAPKG_DL_RESOLVE(member, fn) ::hapkg::dl_resolve(handle, api.member, #fn, missing);
