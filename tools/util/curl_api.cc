#include "util/curl_api.h"

#include <type_traits>

#include "util/dl.h"

namespace hapkg {

// The table's types are curl.h's declarations, checked at compile time.
#define SAME_TYPE(member, fn) static_assert(std::is_same_v<decltype(CurlApi::member), decltype(&fn)>, #fn)
SAME_TYPE(easy_init, curl_easy_init);
SAME_TYPE(easy_setopt, curl_easy_setopt);
SAME_TYPE(easy_perform, curl_easy_perform);
SAME_TYPE(easy_getinfo, curl_easy_getinfo);
SAME_TYPE(easy_cleanup, curl_easy_cleanup);
SAME_TYPE(easy_strerror, curl_easy_strerror);
SAME_TYPE(slist_append, curl_slist_append);
SAME_TYPE(slist_free_all, curl_slist_free_all);
#undef SAME_TYPE

bool load_curl_api(std::initializer_list<const char*> sonames, CurlApi& api, std::string& error) {
  void* h = dl_open_first(sonames, "libcurl", api.soname, error);
  if (!h) return false;
  std::string missing;
  auto sym = [&](auto& fn, const char* name) { dl_resolve(h, fn, name, missing); };
  sym(api.easy_init, "curl_easy_init");
  sym(api.easy_setopt, "curl_easy_setopt");
  sym(api.easy_perform, "curl_easy_perform");
  sym(api.easy_getinfo, "curl_easy_getinfo");
  sym(api.easy_cleanup, "curl_easy_cleanup");
  sym(api.easy_strerror, "curl_easy_strerror");
  sym(api.slist_append, "curl_slist_append");
  sym(api.slist_free_all, "curl_slist_free_all");
  CURLcode (*global_init)(long) = nullptr;
  sym(global_init, "curl_global_init");
  if (!missing.empty()) {
    error = api.soname + " lacks " + missing;
    ::dlclose(h);
    return false;
  }
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
struct Loaded {
  CurlApi api{};
  std::string error;
  bool ok = false;
};
const Loaded& loaded() {
  static const Loaded l = [] {
    Loaded x;
    x.ok = load_curl_api({"libcurl-gnutls.so.4", "libcurl.so.4"}, x.api, x.error);
    return x;
  }();
  return l;
}
}  // namespace

const CurlApi* curl_api() { return loaded().ok ? &loaded().api : nullptr; }
const std::string& curl_api_error() { return loaded().error; }

}  // namespace hapkg
