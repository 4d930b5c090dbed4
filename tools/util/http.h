// HTTP(S) through libcurl, shared by everything that fetches: upstream
// index pages, signatures and tarballs (hapkg track), mirror indices
// (hapkg upgrade-check).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace hapkg {

struct FetchResult {
  long status = 0;                      // HTTP status
  std::string body;
  std::string effective_url;            // after redirections
  std::vector<std::string> redirects;   // every Location followed, in order
};

// Throws OperationError("<url>: <curl's reason>") when the server cannot be
// reached, and, unless `accept_http_errors`, when it answers with a status
// >= 400 (callers probing for optional files want the status instead).
FetchResult http_get(const std::string& url, bool accept_http_errors = false);

// Downloads `url` into `partial` (appending: a partial file is resumed with
// a Range request). `progress(done, total)` is called now and then.
void http_download(const std::string& url, const std::string& partial,
                   const std::function<void(std::uint64_t, std::uint64_t)>& progress);

}  // namespace hapkg
