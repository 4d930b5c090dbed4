// HTTP GET through libcurl, for index pages, signatures and tarballs.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace hapkg::tracker {

struct FetchResult {
  long status = 0;                      // HTTP status
  std::string body;
  std::string effective_url;            // after redirections
  std::vector<std::string> redirects;   // every Location followed, in order
};

// Throws OperationError("<url>: <curl's reason>") when the server cannot be
// reached or answers with a status >= 400.
FetchResult http_get(const std::string& url);

// Downloads `url` into `partial` (appending: a partial file is resumed with
// a Range request). `progress(done, total)` is called now and then.
void http_download(const std::string& url, const std::string& partial,
                   const std::function<void(std::uint64_t, std::uint64_t)>& progress);

}  // namespace hapkg::tracker
