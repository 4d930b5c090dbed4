#include "ocf/amqp.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "ocf/ini.h"

namespace hapkg::ocf {
namespace {

// "host", "host:port", "[v6]" or "[v6]:port" (credentials already removed).
bool parse_hostport(const std::string& s, unsigned default_port, Broker& b, std::string& error) {
  std::string host = s, port;
  if (!s.empty() && s[0] == '[') {
    size_t close = s.find(']');
    if (close == std::string::npos) return error = "unclosed '[' in a host", false;
    host = s.substr(1, close - 1);
    std::string rest = s.substr(close + 1);
    if (!rest.empty() && rest[0] != ':') return error = "junk after ']' in a host", false;
    if (!rest.empty()) port = rest.substr(1);
  } else if (size_t colon = s.rfind(':'); colon != std::string::npos) {
    if (s.find(':') != colon) return error = "IPv6 address without brackets", false;
    host = s.substr(0, colon);
    port = s.substr(colon + 1);
  }
  b.host = host.empty() ? "localhost" : host;
  b.port = default_port;
  if (!port.empty()) {
    char* end = nullptr;
    long n = std::strtol(port.c_str(), &end, 10);
    if (*end != '\0' || n < 1 || n > 65535)
      return error = "port '" + port + "' is not a number from 1 to 65535", false;
    b.port = static_cast<unsigned>(n);
  }
  return true;
}

Addr16 mapped_v4(const in_addr& a) {
  Addr16 out{};
  out[10] = out[11] = 0xff;
  std::memcpy(out.data() + 12, &a, 4);
  return out;
}

Endpoint endpoint_of(const sockaddr_storage& ss) {
  Endpoint p{};
  if (ss.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    p = {mapped_v4(a->sin_addr), ntohs(a->sin_port)};
  } else if (ss.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    std::memcpy(p.addr.data(), &a->sin6_addr, 16);
    p.port = ntohs(a->sin6_port);
  }
  return p;
}

}  // namespace

// A duplicate of each of the process's socket descriptors (pidfd_getfd,
// Linux 5.6; needs ptrace rights over it, which root has) answers
// getsockname(), getpeername() and TCP_INFO for that socket alone. Reading
// /proc/PID/net/tcp instead makes the kernel walk its whole connection hash
// table (about 6 ms of system time per read on a 24 GiB host, whatever the
// number of sockets).
std::optional<bool> process_has_socket(pid_t pid, const SocketTest& test) {
#if defined(SYS_pidfd_open) && defined(SYS_pidfd_getfd)
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) return std::nullopt;
  std::string dir = "/proc/" + std::to_string(pid) + "/fd";
  DIR* d = ::opendir(dir.c_str());
  if (!d) {
    ::close(pidfd);
    return std::nullopt;
  }
  std::optional<bool> found = false;
  while (dirent* e = ::readdir(d)) {
    char link[64];
    ssize_t n = ::readlinkat(dirfd(d), e->d_name, link, sizeof link - 1);
    if (n <= 8 || std::strncmp(link, "socket:[", 8) != 0) continue;
    int fd = static_cast<int>(::syscall(SYS_pidfd_getfd, pidfd, std::atoi(e->d_name), 0));
    if (fd < 0) {
      if (errno == EPERM || errno == ENOSYS) {
        found = std::nullopt;
        break;
      }
      continue;  // closed meanwhile
    }
    sockaddr_storage local{}, peer{};
    socklen_t llen = sizeof local, plen = sizeof peer;
    tcp_info info{};
    socklen_t ilen = sizeof info;
    int type = 0;
    socklen_t tlen = sizeof type;
    if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) == 0 && type == SOCK_STREAM &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &llen) == 0 &&
        (local.ss_family == AF_INET || local.ss_family == AF_INET6) &&
        ::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &ilen) == 0) {
      if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &plen) != 0) peer = {};
      found = test(endpoint_of(local), endpoint_of(peer), info.tcpi_state);
    }
    ::close(fd);
    if (*found) break;
  }
  ::closedir(d);
  ::close(pidfd);
  return found;
#else
  (void)pid;
  (void)test;
  return std::nullopt;
#endif
}

std::optional<bool> tree_has_socket(pid_t root, const SocketTest& test) {
  auto mine = process_has_socket(root, test);
  if (!mine || *mine) return mine;
  auto tree = process_tree(root);
  for (size_t i = 1; i < tree.size(); ++i) {
    auto child = process_has_socket(tree[i], test);
    if (!child || *child) return child;
  }
  return false;
}

namespace {
}  // namespace

std::string broker_name(const Broker& b) {
  bool v6 = b.host.find(':') != std::string::npos;
  return (v6 ? "[" + b.host + "]" : b.host) + ":" + std::to_string(b.port);
}

TransportUrl parse_transport_url(const std::string& url, unsigned default_port) {
  TransportUrl t;
  size_t sep = url.find("://");
  if (sep == std::string::npos || sep == 0) {
    t.error = "transport_url is not of the form scheme://host";
    return t;
  }
  t.scheme = url.substr(0, sep);
  if (t.scheme != "rabbit" && t.scheme != "amqp") {
    t.error = "transport_url scheme '" + t.scheme + "' is not an AMQP broker (rabbit:// or amqp://)";
    return t;
  }
  std::string hosts = url.substr(sep + 3);
  hosts = hosts.substr(0, hosts.find_first_of("/?#"));
  size_t start = 0;
  for (;;) {
    size_t comma = hosts.find(',', start);
    std::string item = hosts.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    // user:password@host: only what follows the last '@' is the host.
    if (size_t at = item.rfind('@'); at != std::string::npos) item = item.substr(at + 1);
    Broker b;
    if (!parse_hostport(item, default_port, b, t.error)) {
      t.error = "transport_url: " + t.error;
      t.brokers.clear();
      return t;
    }
    t.brokers.push_back(b);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return t;
}

TransportUrl config_transport_url(const std::string& config_path, unsigned default_port) {
  std::string error;
  auto v = ini_file_value(config_path, "DEFAULT", "transport_url", &error);
  if (!error.empty()) {
    TransportUrl t;
    t.error = "cannot read " + error;
    return t;
  }
  return parse_transport_url(v && !v->empty() ? *v : "rabbit://", default_port);
}

std::vector<Endpoint> resolve_brokers(const std::vector<Broker>& brokers,
                                      std::vector<std::string>* unresolved) {
  std::vector<Endpoint> out;
  for (const auto& b : brokers) {
    in_addr v4{};
    in6_addr v6{};
    if (::inet_pton(AF_INET, b.host.c_str(), &v4) == 1) {
      out.push_back({mapped_v4(v4), b.port});
      continue;
    }
    if (::inet_pton(AF_INET6, b.host.c_str(), &v6) == 1) {
      Endpoint e{{}, b.port};
      std::memcpy(e.addr.data(), &v6, 16);
      out.push_back(e);
      continue;
    }
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (::getaddrinfo(b.host.c_str(), nullptr, &hints, &res) != 0 || !res) {
      if (unresolved) unresolved->push_back(b.host);
      continue;
    }
    for (addrinfo* r = res; r; r = r->ai_next) {
      Endpoint e{{}, b.port};
      if (r->ai_family == AF_INET)
        e.addr = mapped_v4(reinterpret_cast<sockaddr_in*>(r->ai_addr)->sin_addr);
      else if (r->ai_family == AF_INET6)
        std::memcpy(e.addr.data(), &reinterpret_cast<sockaddr_in6*>(r->ai_addr)->sin6_addr, 16);
      else
        continue;
      out.push_back(e);
    }
    ::freeaddrinfo(res);
  }
  return out;
}

bool connected_to_broker(const std::vector<TcpEntry>& table, const std::set<unsigned long>& inodes,
                         const std::vector<Endpoint>& brokers) {
  for (const auto& e : table) {
    if (e.state != static_cast<int>(TcpState::kEstablished) || e.inode == 0 || !inodes.count(e.inode))
      continue;
    for (const auto& b : brokers)
      if (b.port == e.remote_port && b.addr == e.remote_addr) return true;
  }
  return false;
}

std::string broker_connection_problem(pid_t root, const std::vector<Endpoint>& brokers,
                                      const std::string& proc_root, bool tables_only) {
  if (brokers.empty()) return "no broker address to check";
  if (proc_root == "/proc" && !tables_only) {
    auto to_broker = [&](const Endpoint&, const Endpoint& peer, int state) {
      if (state != TCP_ESTABLISHED) return false;
      for (const auto& b : brokers)
        if (peer.port == b.port && peer.addr == b.addr) return true;
      return false;
    };
    if (auto fast = tree_has_socket(root, to_broker)) {
      if (*fast) return "";
      return "no ESTABLISHED connection from its process tree to the broker";
    }
  }
  // The root's own sockets first: most workers hold the connection in the
  // process the pid file names; the tree (a scan of all of /proc) only
  // when that finds nothing.
  auto table = read_tcp_table(proc_root + "/" + std::to_string(root));
  if (table.empty()) return "no TCP sockets in the network namespace of pid " + std::to_string(root);
  if (connected_to_broker(table, socket_inodes({root}, proc_root), brokers)) return "";
  auto tree = process_tree(root, proc_root);
  if (tree.size() > 1 && connected_to_broker(table, socket_inodes(tree, proc_root), brokers)) return "";
  return "no ESTABLISHED connection from its process tree (" + std::to_string(tree.size()) +
         " processes) to the broker";
}

}  // namespace hapkg::ocf
