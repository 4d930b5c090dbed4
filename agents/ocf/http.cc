#include "ocf/http.h"

#include <dlfcn.h>
#include <gnutls/gnutls.h>
#include <sys/random.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cstring>
#include <type_traits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "util/curl_api.h"

namespace hapkg::ocf {
namespace {

// libcurl is loaded on first use (util/curl_api.h, shared with the CLI):
// linking it would cost every meta-data and probe call several milliseconds
// of dynamic loading.

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  if (out->size() < (1u << 20)) out->append(data, size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* result = static_cast<HttpResult*>(user);
  std::string line(data, size * n);
  static const std::string kName = "x-subject-token:";
  if (line.size() > kName.size() && strncasecmp(line.c_str(), kName.c_str(), kName.size()) == 0) {
    std::string v = line.substr(kName.size());
    v.erase(0, v.find_first_not_of(" \t"));
    v.erase(v.find_last_not_of(" \t\r\n") + 1);
    result->subject_token = v;
  }
  return size * n;
}

std::string to_hex(const unsigned char* data, size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (size_t i = 0; i < n; ++i) {
    hex += kDigits[data[i] >> 4];
    hex += kDigits[data[i] & 15];
  }
  return hex;
}

// SHA-256 from GnuTLS, which libcurl has already loaded (libcurl-gnutls
// links it, and librtmp brings it into the OpenSSL flavour too): no library
// of our own to load. "" if it is not there; then nothing is cached.
std::string sha256_hex_gnutls(const std::string& data) {
  using HashFast = int (*)(gnutls_digest_algorithm_t, const void*, size_t, void*);
  static HashFast fn = [] {
    hapkg::curl_api();  // GnuTLS comes in with libcurl
    void* h = ::dlopen("libgnutls.so.30", RTLD_LAZY | RTLD_LOCAL | RTLD_NOLOAD);
    return h ? reinterpret_cast<HashFast>(::dlsym(h, "gnutls_hash_fast")) : nullptr;
  }();
  unsigned char out[32];
  if (!fn || fn(GNUTLS_DIG_SHA256, data.data(), data.size(), out) != 0) return {};
  return to_hex(out, sizeof out);
}

}  // namespace

std::string credentials_fingerprint(const KeystoneCredentials& c, const std::string& salt) {
  std::string all = salt + '\n' + c.auth_url + '\n' + c.username + '\n' + c.password + '\n' +
                    c.project + '\n' + c.user_domain + '\n' + c.project_domain;
  std::string digest = sha256_hex_gnutls(all);
  return digest.empty() ? std::string() : salt + ":" + digest;
}

namespace {

std::string new_salt() {
  unsigned char raw[16];
  if (::getrandom(raw, sizeof raw, 0) != static_cast<ssize_t>(sizeof raw)) return {};
  return to_hex(raw, sizeof raw);
}

long long parse_expiry(const std::string& iso) {  // 2026-11-25T03:15:00.000000Z
  struct tm tm {};
  if (!strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return 0;
  return static_cast<long long>(timegm(&tm));
}

void write_cache(const std::string& path, const std::string& text) {
  auto slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0) ::mkdir(path.substr(0, slash).c_str(), 0755);
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return;  // no cache is no failure
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) ::unlink(tmp.c_str());
}

std::string read_cache(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return {};
  char buf[8192];
  ssize_t n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

}  // namespace

bool http_ok(long code) { return (code >= 200 && code < 300) || code == 300; }

HttpResult http_request(const std::string& method, const std::string& url,
                        const std::vector<std::string>& headers, const std::string& body,
                        long timeout_ms) {
  HttpResult r;
  const hapkg::CurlApi* loaded = hapkg::curl_api();
  if (!loaded) {
    r.error = hapkg::curl_api_error();
    return r;
  }
  const hapkg::CurlApi& api = *loaded;
  CURL* curl = api.easy_init();
  if (!curl) {
    r.error = "cannot initialise libcurl";
    return r;
  }
  struct curl_slist* list = nullptr;
  for (const auto& h : headers) list = api.slist_append(list, h.c_str());
  char errbuf[CURL_ERROR_SIZE] = "";
  api.easy_setopt(curl, CURLOPT_URL, url.c_str());
  api.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  api.easy_setopt(curl, CURLOPT_PROXY, "");
  api.easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms > 0 ? timeout_ms : 1L);
  api.easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  api.easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  api.easy_setopt(curl, CURLOPT_WRITEDATA, &r.body);
  api.easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  api.easy_setopt(curl, CURLOPT_HEADERDATA, &r);
  api.easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  api.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  if (method == "POST") {
    api.easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    api.easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  CURLcode rc = api.easy_perform(curl);
  if (rc != CURLE_OK)
    r.error = *errbuf ? errbuf : api.easy_strerror(rc);
  else
    api.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.code);
  api.slist_free_all(list);
  api.easy_cleanup(curl);
  return r;
}

std::string keystone_v3_base(const std::string& url) {
  std::string u = url;
  while (!u.empty() && u.back() == '/') u.pop_back();
  for (const char* suffix : {"/tokens", "/v2.0", "/v3/auth/tokens", "/v3"}) {
    std::string s = suffix;
    if (u.size() >= s.size() && u.compare(u.size() - s.size(), s.size(), s) == 0)
      u.erase(u.size() - s.size());
  }
  return u + "/v3";
}

std::string keystone_auth_body(const KeystoneCredentials& c) {
  nlohmann::json user = {{"name", c.username},
                         {"domain", {{"name", c.user_domain}}},
                         {"password", c.password}};
  nlohmann::json auth = {{"identity", {{"methods", {"password"}}, {"password", {{"user", user}}}}}};
  if (!c.project.empty())
    auth["scope"] = {{"project", {{"name", c.project}, {"domain", {{"name", c.project_domain}}}}}};
  return nlohmann::json{{"auth", auth}}.dump();
}

TokenResult keystone_token(const KeystoneCredentials& c, const std::string& cache_path,
                           long timeout_ms, bool force_new) {
  TokenResult out;
  std::string base = keystone_v3_base(c.auth_url);
  std::string salt = new_salt();
  if (!cache_path.empty() && !force_new) {
    std::istringstream in(read_cache(cache_path));
    std::string cfp, token;
    long long expires = 0;
    if (in >> cfp >> expires >> token && expires > ::time(nullptr) + 30) {
      std::string fp = credentials_fingerprint(c, cfp.substr(0, cfp.find(':')));
      if (!fp.empty() && fp == cfp) {
        out.token = token;
        out.reused = true;
        return out;
      }
    }
  }
  HttpResult r = http_request("POST", base + "/auth/tokens",
                              {"Content-Type: application/json", "Accept: application/json"},
                              keystone_auth_body(c), timeout_ms);
  if (r.code == 0) {
    out.error = "keystone at " + base + " does not answer: " + r.error;
  } else if (r.code != 201 || r.subject_token.empty()) {
    out.error = "keystone authentication of user " + c.username + " at " + base +
                " failed with HTTP " + std::to_string(r.code);
  } else {
    out.token = r.subject_token;
    long long expires = 0;
    try {
      expires = parse_expiry(nlohmann::json::parse(r.body).at("token").at("expires_at").get<std::string>());
    } catch (const std::exception&) {
    }
    std::string fp = salt.empty() ? std::string() : credentials_fingerprint(c, salt);
    if (!cache_path.empty() && expires > 0 && !fp.empty())
      write_cache(cache_path, fp + "\n" + std::to_string(expires) + "\n" + out.token + "\n");
  }
  return out;
}

}  // namespace hapkg::ocf
