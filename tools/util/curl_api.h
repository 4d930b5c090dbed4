// libcurl, loaded with dlopen() on first use rather than linked: linking it
// makes the dynamic loader map and relocate its TLS, HTTP/2, LDAP, SSH and
// Kerberos chain (~25 libraries) in every process, which cost each
// `hapkg version compare` and each agent meta-data/probe call several
// milliseconds (docs/benchmarks.md). Only what downloads pays for it now:
// util/http.cc (the CLI) and agents/ocf/http.cc (the agents).
//
// Plain C++ and libdl only (no hapkg_util): the agents link it too.
// Packages that use it must Depend on libcurl3-gnutls | libcurl4 by hand;
// dpkg-shlibdeps does not see a dlopen().
#pragma once

#include <curl/curl.h>

#include <initializer_list>
#include <string>

namespace hapkg {

// The few libcurl functions hapkg calls, resolved from one loaded library.
// The curl.h in use is only the ABI's description: both Debian flavours
// (libcurl-gnutls.so.4, libcurl.so.4) export the same functions.
struct CurlApi {
  CURL* (*easy_init)();
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
  CURLcode (*easy_perform)(CURL*);
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
  void (*easy_cleanup)(CURL*);
  const char* (*easy_strerror)(CURLcode);
  curl_slist* (*slist_append)(curl_slist*, const char*);
  void (*slist_free_all)(curl_slist*);
  std::string soname;  // the library that was loaded
};

// The process's libcurl: loaded, resolved and curl_global_init()ed once,
// on the first call (thread-safe). nullptr if no flavour loads or one lacks
// a function; curl_api_error() then says which and why.
//
// The GnuTLS flavour comes first: librtmp drags GnuTLS into either flavour,
// so the OpenSSL one loads libssl and runs OpenSSL's init on top of it
// (measured ~0.5 ms CPU more per agent monitor call, docs/benchmarks.md).
const CurlApi* curl_api();
const std::string& curl_api_error();

// What curl_api() does, from the given sonames (tried in order); for tests.
// On failure returns false and sets `error`, naming each soname's dlerror().
bool load_curl_api(std::initializer_list<const char*> sonames, CurlApi& api, std::string& error);

}  // namespace hapkg
