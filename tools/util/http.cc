#include "util/http.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

#include "util/curl_api.h"
#include "util/error.h"

namespace hapkg {
namespace {

// libcurl is dlopen()ed on the first download (util/curl_api.h): commands
// that do not fetch never load it. Missing, it is an operational failure.
const CurlApi& curl() {
  const CurlApi* api = curl_api();
  if (!api) throw OperationError(curl_api_error());
  return *api;
}

CURL* new_handle() {
  const CurlApi& api = curl();
  CURL* c = api.easy_init();
  if (!c) throw OperationError("cannot initialise libcurl");
  api.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  api.easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
  api.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  api.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  api.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
  api.easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  api.easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
  api.easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  api.easy_setopt(c, CURLOPT_USERAGENT, "hapkg");
  api.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  return c;
}

size_t to_string(char* p, size_t size, size_t n, void* ud) {
  static_cast<std::string*>(ud)->append(p, size * n);
  return size * n;
}

size_t header_cb(char* p, size_t size, size_t n, void* ud) {
  std::string h(p, size * n);
  if (h.size() > 9 && (h.compare(0, 9, "Location:") == 0 || h.compare(0, 9, "location:") == 0)) {
    std::string v = h.substr(9);
    auto b = v.find_first_not_of(" \t"), e = v.find_last_not_of(" \t\r\n");
    if (b != std::string::npos) static_cast<std::vector<std::string>*>(ud)->push_back(v.substr(b, e - b + 1));
  }
  return size * n;
}

struct Cleanup {
  void operator()(CURL* c) const { curl().easy_cleanup(c); }
};
using Handle = std::unique_ptr<CURL, Cleanup>;

}  // namespace

FetchResult http_get(const std::string& url, bool accept_http_errors) {
  Handle c(new_handle());
  const CurlApi& api = curl();
  FetchResult r;
  char errbuf[CURL_ERROR_SIZE] = "";
  api.easy_setopt(c.get(), CURLOPT_URL, url.c_str());
  api.easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, to_string);
  api.easy_setopt(c.get(), CURLOPT_WRITEDATA, &r.body);
  api.easy_setopt(c.get(), CURLOPT_HEADERFUNCTION, header_cb);
  api.easy_setopt(c.get(), CURLOPT_HEADERDATA, &r.redirects);
  api.easy_setopt(c.get(), CURLOPT_ERRORBUFFER, errbuf);
  CURLcode rc = api.easy_perform(c.get());
  if (rc != CURLE_OK)
    throw OperationError(url + ": " + (errbuf[0] ? errbuf : api.easy_strerror(rc)));
  api.easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &r.status);
  char* eff = nullptr;
  api.easy_getinfo(c.get(), CURLINFO_EFFECTIVE_URL, &eff);
  if (eff) r.effective_url = eff;
  if (r.status >= 400 && !accept_http_errors) throw OperationError(url + ": HTTP status " + std::to_string(r.status));
  return r;
}

namespace {
struct DownloadState {
  int fd;
  bool failed = false;
  std::uint64_t offset;
  const std::function<void(std::uint64_t, std::uint64_t)>* progress;
};

size_t to_fd(char* p, size_t size, size_t n, void* ud) {
  auto* s = static_cast<DownloadState*>(ud);
  size_t left = size * n;
  while (left) {
    ssize_t w = ::write(s->fd, p, left);
    if (w < 0) {
      s->failed = true;
      return 0;
    }
    p += w;
    left -= static_cast<size_t>(w);
  }
  return size * n;
}

int xfer(void* ud, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
  auto* s = static_cast<DownloadState*>(ud);
  if (*s->progress && total > 0)
    (*s->progress)(s->offset + static_cast<std::uint64_t>(now), s->offset + static_cast<std::uint64_t>(total));
  return 0;
}
}  // namespace

void http_download(const std::string& url, const std::string& partial,
                   const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
  int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) throw_errno(partial);
  struct stat st {};
  ::fstat(fd, &st);
  DownloadState s{fd, false, static_cast<std::uint64_t>(st.st_size), &progress};
  Handle c(new_handle());
  const CurlApi& api = curl();
  char errbuf[CURL_ERROR_SIZE] = "";
  api.easy_setopt(c.get(), CURLOPT_URL, url.c_str());
  api.easy_setopt(c.get(), CURLOPT_ACCEPT_ENCODING, nullptr);
  api.easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, to_fd);
  api.easy_setopt(c.get(), CURLOPT_WRITEDATA, &s);
  api.easy_setopt(c.get(), CURLOPT_ERRORBUFFER, errbuf);
  api.easy_setopt(c.get(), CURLOPT_NOPROGRESS, 0L);
  api.easy_setopt(c.get(), CURLOPT_XFERINFOFUNCTION, xfer);
  api.easy_setopt(c.get(), CURLOPT_XFERINFODATA, &s);
  if (st.st_size > 0) api.easy_setopt(c.get(), CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(st.st_size));
  CURLcode rc = api.easy_perform(c.get());
  long status = 0;
  api.easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &status);
  // An error page is not the file: drop what it appended, so that a retry
  // does not resume after it.
  if (status >= 400 && ::ftruncate(fd, static_cast<off_t>(st.st_size)) != 0) s.failed = true;
  ::close(fd);
  if (s.failed) throw OperationError(partial + ": write failed");
  if (rc == CURLE_RANGE_ERROR && st.st_size > 0) {  // the server cannot resume: start over
    ::unlink(partial.c_str());
    return http_download(url, partial, progress);
  }
  if (rc != CURLE_OK) throw OperationError(url + ": " + (errbuf[0] ? errbuf : api.easy_strerror(rc)));
  if (status >= 400) throw OperationError(url + ": HTTP status " + std::to_string(status));
  if (st.st_size > 0 && status == 200) {
    // The server ignored the Range request and sent the whole file after
    // what we had: start over.
    ::unlink(partial.c_str());
    http_download(url, partial, progress);
  }
}

}  // namespace hapkg
