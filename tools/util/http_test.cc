// http_get / http_download against a loopback HTTP/1.1 server that runs in
// a thread of this test (127.0.0.1, a port the kernel picks): statuses,
// redirects, errors, and resuming a partial download with or without a
// server that honours Range.
#include "util/http.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <thread>

#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg {
namespace {

const std::string kBody = "0123456789abcdefghij";

std::string response(const std::string& status, const std::string& headers, const std::string& body) {
  return "HTTP/1.1 " + status + "\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n" + headers + "\r\n" + body;
}

// GET /file (honours "Range: bytes=N-"), /norange (ignores it), /redirect
// (302 to /file), anything else 404.
std::string answer(const std::string& request) {
  auto sp = request.find(' '), sp2 = request.find(' ', sp + 1);
  std::string path = request.substr(sp + 1, sp2 - sp - 1);
  std::size_t from = 0;
  auto r = request.find("Range: bytes=");
  if (r != std::string::npos) from = std::stoul(request.substr(r + 13));
  if (path == "/file" && from > 0 && from < kBody.size())
    return response("206 Partial Content",
                    "Content-Range: bytes " + std::to_string(from) + "-" + std::to_string(kBody.size() - 1) + "/" +
                        std::to_string(kBody.size()) + "\r\n",
                    kBody.substr(from));
  if (path == "/file" || path == "/norange") return response("200 OK", "", kBody);
  if (path == "/redirect") return response("302 Found", "Location: /file\r\n", "");
  return response("404 Not Found", "", "no such file");
}

class LoopbackServer {
 public:
  LoopbackServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), len) || ::listen(fd_, 8) ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len))
      throw_errno("loopback server");
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~LoopbackServer() {
    ::shutdown(fd_, SHUT_RDWR);  // wakes accept()
    thread_.join();
    ::close(fd_);
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  void serve() {
    for (;;) {
      int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) return;
      std::string req;
      char buf[4096];
      while (req.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::read(c, buf, sizeof buf);
        if (n <= 0) break;
        req.append(buf, static_cast<size_t>(n));
      }
      {
        std::lock_guard<std::mutex> lock(mutex_);
        requests_.push_back(req);
      }
      std::string out = answer(req);
      for (size_t done = 0; done < out.size();) {
        ssize_t w = ::write(c, out.data() + done, out.size() - done);
        if (w <= 0) break;
        done += static_cast<size_t>(w);
      }
      ::close(c);
    }
  }
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> requests_;
};

TEST(HttpGet, BodyStatusAndEffectiveUrl) {
  LoopbackServer s;
  FetchResult r = http_get(s.url("/file"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kBody);
  EXPECT_EQ(r.effective_url, s.url("/file"));
  EXPECT_TRUE(r.redirects.empty());
  ASSERT_EQ(s.requests().size(), 1u);
  EXPECT_NE(s.requests()[0].find("User-Agent: hapkg\r\n"), std::string::npos) << s.requests()[0];
}

TEST(HttpGet, FollowsRedirectsAndRecordsThem) {
  LoopbackServer s;
  FetchResult r = http_get(s.url("/redirect"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kBody);
  EXPECT_EQ(r.effective_url, s.url("/file"));
  EXPECT_EQ(r.redirects, std::vector<std::string>{"/file"});
}

TEST(HttpGet, HttpErrorStatusThrowsUnlessAccepted) {
  LoopbackServer s;
  try {
    http_get(s.url("/missing"));
    FAIL();
  } catch (const OperationError& e) {
    EXPECT_EQ(std::string(e.what()), s.url("/missing") + ": HTTP status 404");
  }
  FetchResult r = http_get(s.url("/missing"), true);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "no such file");
}

TEST(HttpGet, UnreachableServerIsAnOperationError) {
  int port;
  {  // a port that was just free and has no listener now: connection refused
    LoopbackServer s;
    port = std::stoi(s.url("").substr(17));
  }
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/file";
  try {
    http_get(url);
    FAIL();
  } catch (const OperationError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(url + ": ", 0), 0u) << e.what();
  }
}

TEST(HttpGet, NonHttpSchemesAreRefused) {
  TempDir t("hapkg-http-test");
  write_file_atomic(t.path() + "/secret", "local");
  EXPECT_THROW(http_get("file://" + t.path() + "/secret"), OperationError);
}

TEST(HttpDownload, FreshDownloadReportsProgress) {
  LoopbackServer s;
  TempDir t("hapkg-http-test");
  std::string part = t.path() + "/f.partial";
  std::uint64_t last_done = 0, last_total = 0;
  http_download(s.url("/file"), part, [&](std::uint64_t d, std::uint64_t tot) { last_done = d, last_total = tot; });
  EXPECT_EQ(read_file(part), kBody);
  EXPECT_EQ(last_total, kBody.size());
  EXPECT_EQ(last_done, kBody.size());
}

TEST(HttpDownload, ResumesAPartialFileWithRange) {
  LoopbackServer s;
  TempDir t("hapkg-http-test");
  std::string part = t.path() + "/f.partial";
  write_file_atomic(part, kBody.substr(0, 7));
  http_download(s.url("/file"), part, {});
  EXPECT_EQ(read_file(part), kBody);
  ASSERT_EQ(s.requests().size(), 1u);
  EXPECT_NE(s.requests()[0].find("Range: bytes=7-"), std::string::npos) << s.requests()[0];
}

TEST(HttpDownload, StartsOverWhenTheServerIgnoresRange) {
  LoopbackServer s;
  TempDir t("hapkg-http-test");
  std::string part = t.path() + "/f.partial";
  write_file_atomic(part, kBody.substr(0, 7));
  http_download(s.url("/norange"), part, {});
  EXPECT_EQ(read_file(part), kBody) << "not the old prefix plus the whole file";
  EXPECT_EQ(s.requests().size(), 2u);
}

TEST(HttpDownload, HttpErrorThrows) {
  LoopbackServer s;
  TempDir t("hapkg-http-test");
  try {
    http_download(s.url("/missing"), t.path() + "/f.partial", {});
    FAIL();
  } catch (const OperationError& e) {
    EXPECT_EQ(std::string(e.what()), s.url("/missing") + ": HTTP status 404");
  }
  // The error page is not kept as the start of the file (a retry would
  // resume after it).
  EXPECT_EQ(read_file(t.path() + "/f.partial"), "");
  // Resuming: a 404 is no 206, so curl reports that the server cannot
  // resume and the download starts over; the error page is not kept then
  // either.
  write_file_atomic(t.path() + "/g.partial", "0123");
  EXPECT_THROW(http_download(s.url("/missing"), t.path() + "/g.partial", {}), OperationError);
  EXPECT_EQ(read_file(t.path() + "/g.partial"), "");
}

}  // namespace
}  // namespace hapkg
