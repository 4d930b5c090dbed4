#include "tracker/upstream/download.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "util/error.h"
#include "util/file.h"
#include "util/tempdir.h"

namespace hapkg::tracker {
namespace {

// A one-connection-at-a-time HTTP/1.0 server on 127.0.0.1 answering every
// GET with `body` (loopback only, for --download without a network).
class LoopbackServer {
 public:
  explicit LoopbackServer(std::string body) : body_(std::move(body)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 4) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      throw std::runtime_error("loopback server: cannot listen");
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~LoopbackServer() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

 private:
  void serve() {
    for (int c; (c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC)) >= 0; ::close(c)) {
      char buf[4096];
      std::string req;
      for (ssize_t n; req.find("\r\n\r\n") == std::string::npos && (n = ::read(c, buf, sizeof buf)) > 0;)
        req.append(buf, static_cast<std::size_t>(n));
      std::string resp = "HTTP/1.0 200 OK\r\nContent-Length: " + std::to_string(body_.size()) + "\r\n\r\n" + body_;
      for (std::size_t off = 0; off < resp.size();) {
        ssize_t n = ::write(c, resp.data() + off, resp.size() - off);
        if (n <= 0) break;
        off += static_cast<std::size_t>(n);
      }
    }
  }
  std::string body_;
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

WatchLine line(const std::string& text) {
  return parse_watch("version=4\n" + text + "\n", "debian/watch", "hello").lines.at(0);
}

TEST(Download, RefusesAFailedScanAndAnUnknownArchiveType) {
  TempDir dir("hapkg-download-test");
  WatchLine w = line("opts=pgpmode=none http://127.0.0.1:9/ hello-(\\d[\\d.]*)\\.bin");
  ScanResult failed;
  failed.error = "debian/watch:2: no matching files for watch line";
  EXPECT_THROW(download_newest(w, failed, "hello", dir.path(), dir.path(), false), OperationError);
  ScanResult r;
  r.upstream_version = "1.0";
  r.upstream_url = "http://127.0.0.1:9/hello-1.0.bin";
  try {
    download_newest(w, r, "hello", dir.path(), dir.path(), false);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "debian/watch:2: cannot tell the archive type of hello-1.0.bin");
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));  // nothing fetched, nothing left
}

TEST(Download, StoresTheTarballUnderTheOrigNameOnly) {
  TempDir dir("hapkg-download-test");
  LoopbackServer server("not really a tarball, but its bytes must arrive intact\n");
  WatchLine w = line("opts=pgpmode=none " + server.url("/") + " hello-(\\d[\\d.]*)\\.tgz");
  ScanResult r;
  r.upstream_version = "2.5";
  r.upstream_url = server.url("/hello-2.5.tgz");
  DownloadResult d = download_newest(w, r, "hello", dir.path(), dir.path(), false);
  EXPECT_EQ(d.path, dir.path() + "/hello_2.5.orig.tar.gz");  // .tgz named as uscan names it
  EXPECT_EQ(d.signature, "");
  EXPECT_EQ(read_file(d.path), "not really a tarball, but its bytes must arrive intact\n");
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1u);  // no .part or .unverified left behind
}

}  // namespace
}  // namespace hapkg::tracker
