#include "util/curl_api.h"

#include <type_traits>

#include "util/dl.h"

namespace hapkg {

// Every function of CurlApi, once: (member, libcurl's name).
#define CURL_FUNCTIONS(X)                \
  X(easy_init, curl_easy_init)           \
  X(easy_setopt, curl_easy_setopt)       \
  X(easy_perform, curl_easy_perform)     \
  X(easy_getinfo, curl_easy_getinfo)     \
  X(easy_cleanup, curl_easy_cleanup)     \
  X(easy_strerror, curl_easy_strerror)   \
  X(slist_append, curl_slist_append)     \
  X(slist_free_all, curl_slist_free_all)

// The table's types are curl.h's declarations, checked at compile time.
#define SAME_TYPE(member, fn) HAPKG_DL_SAME_TYPE(CurlApi, member, fn)
CURL_FUNCTIONS(SAME_TYPE)
#undef SAME_TYPE

bool load_curl_api(std::initializer_list<const char*> sonames, CurlApi& api, std::string& error) {
  void* handle = dl_open_first(sonames, "libcurl", api.soname, error);
  if (!handle) return false;
  std::string missing;
  CURL_FUNCTIONS(HAPKG_DL_RESOLVE)
  CURLcode (*global_init)(long) = nullptr;
  dl_resolve(handle, global_init, "curl_global_init", missing);
  if (!dl_complete(handle, api.soname, missing, error)) return false;
  // Explicitly, before any handle: curl_easy_init would do it implicitly,
  // but not thread-safely; curl_api() runs this inside a function-local
  // static's initialiser, so once. Never cleaned up or dlclose()d: the
  // library stays for the life of the process.
  if (CURLcode rc = global_init(CURL_GLOBAL_DEFAULT); rc != CURLE_OK) {
    error = api.soname + ": curl_global_init failed: " + api.easy_strerror(rc);
    return false;
  }
  return true;
}

namespace {
const DlLoaded<CurlApi>& loaded() {
  return dl_load_once<CurlApi>([](CurlApi& api, std::string& error) {
    return load_curl_api({"libcurl-gnutls.so.4", "libcurl.so.4"}, api, error);
  });
}
}  // namespace

const CurlApi* curl_api() { return loaded().ok ? &loaded().api : nullptr; }
const std::string& curl_api_error() { return loaded().error; }

}  // namespace hapkg
