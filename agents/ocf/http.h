// In-process health checks over HTTP(S) with libcurl, and Keystone v3
// password authentication with credentials only in the request body.
#pragma once

#include <string>
#include <vector>

namespace hapkg::ocf {

struct HttpResult {
  long code = 0;        // 0 = no HTTP answer
  std::string error;    // transport error, if any
  std::string body;
  std::string subject_token;  // X-Subject-Token response header
};

// `timeout_ms` bounds the whole transfer. Proxies from the environment are
// ignored (health checks talk to the local service).
HttpResult http_request(const std::string& method, const std::string& url,
                        const std::vector<std::string>& headers, const std::string& body,
                        long timeout_ms);

// 2xx, or 300 (the "Multiple Choices" version documents of OpenStack APIs).
bool http_ok(long code);

struct KeystoneCredentials {
  std::string auth_url;  // .../v3 (a v2.0 URL is mapped to v3)
  std::string username;
  std::string password;
  std::string project;
  std::string user_domain = "Default";
  std::string project_domain = "Default";
};

// ".../v2.0[/tokens]" or "...": the v3 base URL ".../v3".
std::string keystone_v3_base(const std::string& url);
// The JSON body of POST /v3/auth/tokens (no password ever leaves it).
std::string keystone_auth_body(const KeystoneCredentials& c);

struct TokenResult {
  std::string token;   // empty on failure
  std::string error;   // why (never contains the password)
  bool reused = false;
};

// The token cache key: every credential parameter, the password included,
// so a changed or wrong password is never answered from the cache.
// "salt:<SHA-256 hex>" (GnuTLS); "" if SHA-256 is not available.
std::string credentials_fingerprint(const KeystoneCredentials& c, const std::string& salt);

// A token: the cached one while it is not expired and was issued for
// exactly these credentials (password included), else a new one (POST
// /v3/auth/tokens). `force_new` always authenticates anew: a deep monitor
// proves Keystone still issues tokens for this password. `cache_path`
// ("" = no cache) is written 0600 atomically; it holds a salted SHA-256 of
// the credentials, the expiry and the token, never the password.
TokenResult keystone_token(const KeystoneCredentials& c, const std::string& cache_path,
                           long timeout_ms, bool force_new = false);

}  // namespace hapkg::ocf
