#include "ocf/proc.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <sstream>

namespace hapkg::ocf {
namespace {

std::optional<std::string> slurp(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

std::string basename_of(const std::string& p) {
  auto slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

std::vector<pid_t> all_pids(const std::string& proc_root) {
  std::vector<pid_t> pids;
  DIR* d = ::opendir(proc_root.c_str());
  if (!d) return pids;
  while (dirent* e = ::readdir(d)) {
    char* end = nullptr;
    long n = std::strtol(e->d_name, &end, 10);
    if (n > 0 && *end == '\0') pids.push_back(static_cast<pid_t>(n));
  }
  ::closedir(d);
  return pids;
}

}  // namespace

std::optional<ProcStat> parse_stat(const std::string& text) {
  auto open = text.find('(');
  auto close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
  ProcStat st;
  st.pid = static_cast<pid_t>(std::strtol(text.c_str(), nullptr, 10));
  std::istringstream rest(text.substr(close + 1));
  std::string field;
  std::vector<std::string> f;  // f[0] = field 3 (state)
  while (rest >> field) f.push_back(field);
  if (f.size() < 20 || f[0].size() != 1 || st.pid <= 0) return std::nullopt;
  st.state = f[0][0];
  st.ppid = static_cast<pid_t>(std::strtol(f[1].c_str(), nullptr, 10));
  st.pgrp = static_cast<pid_t>(std::strtol(f[2].c_str(), nullptr, 10));
  st.start_time = std::strtoull(f[19].c_str(), nullptr, 10);  // field 22
  return st;
}

std::optional<ProcStat> read_stat(pid_t pid, const std::string& proc_root) {
  auto text = slurp(proc_root + "/" + std::to_string(pid) + "/stat");
  if (!text) return std::nullopt;
  return parse_stat(*text);
}

std::vector<std::string> read_cmdline(pid_t pid, const std::string& proc_root) {
  std::vector<std::string> argv;
  auto text = slurp(proc_root + "/" + std::to_string(pid) + "/cmdline");
  if (!text) return argv;
  std::string cur;
  for (char c : *text) {
    if (c == '\0') {
      argv.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) argv.push_back(cur);
  return argv;
}

std::string read_exe(pid_t pid, const std::string& proc_root) {
  char buf[4096];
  std::string link = proc_root + "/" + std::to_string(pid) + "/exe";
  ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

bool is_alive(pid_t pid, const std::string& proc_root) {
  if (pid <= 0) return false;
  auto st = read_stat(pid, proc_root);
  return st && st->state != 'Z' && st->state != 'X' && st->state != 'x';
}

bool matches(const Identity& id, const std::string& proc_root) {
  if (id.pid <= 1) return false;
  auto st = read_stat(id.pid, proc_root);
  if (!st || st->state == 'Z' || st->state == 'X' || st->state == 'x') return false;
  if (id.start_time != 0 && st->start_time != id.start_time) return false;
  // The cmdline must name the binary: argv[0] for a native daemon, or an
  // argument for an interpreted one (python3 /usr/bin/glance-api ...).
  // A process rewriting its title (uwsgi: "uwsgi --ini ...") keeps its name.
  // setproctitle (neutron-server, the oslo services) rewrites the whole
  // cmdline as one space-separated string: its words count as arguments.
  // cotyledon (ceilometer-polling) titles its master "NAME: master process
  // [argv]": a word's trailing colon is not part of the name.
  std::string want = basename_of(id.binary);
  std::vector<std::string> words;
  for (const auto& arg : read_cmdline(id.pid, proc_root)) {
    std::istringstream split(arg);
    for (std::string w; words.size() < 3 && split >> w;) words.push_back(w);
    if (words.size() >= 3) break;
  }
  for (const auto& w : words) {
    std::string name = basename_of(w);
    if (name == want || name == want + ":") return true;
  }
  return false;
}

std::vector<pid_t> process_tree(pid_t root, const std::string& proc_root) {
  std::vector<std::pair<pid_t, pid_t>> parent;  // (pid, ppid)
  for (pid_t p : all_pids(proc_root))
    if (auto st = read_stat(p, proc_root); st && st->state != 'Z') parent.emplace_back(p, st->ppid);
  std::vector<pid_t> tree;
  if (is_alive(root, proc_root)) tree.push_back(root);
  for (size_t i = 0; i < tree.size(); ++i)
    for (auto [p, pp] : parent)
      if (pp == tree[i]) tree.push_back(p);
  return tree;
}

std::set<unsigned long> socket_inodes(const std::vector<pid_t>& pids, const std::string& proc_root) {
  std::set<unsigned long> out;
  for (pid_t p : pids) {
    std::string dir = proc_root + "/" + std::to_string(p) + "/fd";
    DIR* d = ::opendir(dir.c_str());
    if (!d) continue;
    while (dirent* e = ::readdir(d)) {
      char buf[128];
      std::string path = dir + "/" + e->d_name;
      ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
      if (n <= 0) continue;
      std::string link(buf, static_cast<size_t>(n));
      if (link.rfind("socket:[", 0) == 0)
        out.insert(std::strtoul(link.c_str() + 8, nullptr, 10));
    }
    ::closedir(d);
  }
  return out;
}

std::vector<TcpEntry> parse_proc_net_tcp(const std::string& text) {
  std::vector<TcpEntry> out;
  std::istringstream in(text);
  std::string line;
  // "0100007F:1628" (tcp) or 32 hex digits + ":PORT" (tcp6): each 32-bit
  // word is printed as the kernel holds it in memory, so copying the parsed
  // word's bytes back gives network byte order on any host.
  auto parse_addr = [](const std::string& addr, unsigned& port, Addr16* out) {
    auto colon = addr.rfind(':');
    if (colon == std::string::npos || colon + 5 != addr.size() || (colon != 8 && colon != 32))
      return false;
    char* end = nullptr;
    unsigned long v = std::strtoul(addr.c_str() + colon + 1, &end, 16);
    if (*end != '\0') return false;
    port = static_cast<unsigned>(v);
    if (!out) return true;
    Addr16 a{};
    size_t words = colon / 8, first = words == 1 ? 3 : 0;
    if (words == 1) a[10] = a[11] = 0xff;
    for (size_t i = 0; i < words; ++i) {
      std::string hex = addr.substr(i * 8, 8);
      std::uint32_t w = static_cast<std::uint32_t>(std::strtoul(hex.c_str(), &end, 16));
      if (*end != '\0') return false;
      std::memcpy(a.data() + (first + i) * 4, &w, 4);
    }
    *out = a;
    return true;
  };
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string sl, local, remote, st, queues, timer, retr, uid, timeout, inode;
    if (!(f >> sl >> local >> remote >> st >> queues >> timer >> retr >> uid >> timeout >> inode))
      continue;
    if (sl.empty() || sl.back() != ':') continue;  // the header line
    TcpEntry e;
    if (!parse_addr(local, e.local_port, nullptr) || !parse_addr(remote, e.remote_port, &e.remote_addr))
      continue;
    char* end = nullptr;
    e.state = static_cast<int>(std::strtol(st.c_str(), &end, 16));
    if (*end != '\0') continue;
    e.inode = std::strtoul(inode.c_str(), &end, 10);
    if (*end != '\0') continue;
    out.push_back(e);
  }
  return out;
}

std::vector<TcpEntry> read_tcp_table(const std::string& proc_root) {
  std::vector<TcpEntry> all;
  for (const char* f : {"/net/tcp", "/net/tcp6"}) {
    auto text = slurp(proc_root + f);
    if (!text) continue;
    auto part = parse_proc_net_tcp(*text);
    all.insert(all.end(), part.begin(), part.end());
  }
  return all;
}

bool has_established(const std::vector<TcpEntry>& table, const std::set<unsigned long>& inodes,
                     unsigned port) {
  for (const auto& e : table)
    if (e.state == static_cast<int>(TcpState::kEstablished) && e.remote_port == port &&
        e.inode != 0 && inodes.count(e.inode))
      return true;
  return false;
}

std::set<unsigned long> listeners(const std::vector<TcpEntry>& table, unsigned port) {
  std::set<unsigned long> out;
  for (const auto& e : table)
    if (e.state == static_cast<int>(TcpState::kListen) && e.local_port == port) out.insert(e.inode);
  return out;
}

}  // namespace hapkg::ocf
