// /proc readers: process identity (start time, state, cmdline), process
// trees, socket inodes, and /proc/net/tcp{,6} parsing.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace hapkg::ocf {

struct ProcStat {
  pid_t pid = 0;
  char state = '?';
  pid_t ppid = 0;
  pid_t pgrp = 0;
  unsigned long long start_time = 0;  // clock ticks since boot (field 22)
};

// Parses the text of /proc/<pid>/stat (comm may contain spaces and ')').
std::optional<ProcStat> parse_stat(const std::string& text);
// Reads /proc/<pid>/stat under `proc_root`; nullopt if the pid is gone.
std::optional<ProcStat> read_stat(pid_t pid, const std::string& proc_root = "/proc");
// argv of the process (NUL-separated cmdline), empty if gone or a kernel thread.
std::vector<std::string> read_cmdline(pid_t pid, const std::string& proc_root = "/proc");

// The executable the process runs (/proc/<pid>/exe, symlinks resolved by
// the kernel); "" if gone or not readable.
std::string read_exe(pid_t pid, const std::string& proc_root = "/proc");

// Alive means it exists and is not a zombie (Z) or dead (X).
bool is_alive(pid_t pid, const std::string& proc_root = "/proc");

// What we remember about a daemon we started, to recognise it later.
struct Identity {
  pid_t pid = 0;
  unsigned long long start_time = 0;  // 0 = unknown (a legacy pid file)
  std::string binary;                 // basename the cmdline must mention
};

// True only if `id.pid` is alive and is the same process: same start time
// (when known) and a cmdline naming the binary.
bool matches(const Identity& id, const std::string& proc_root = "/proc");

// pid plus all its live descendants.
std::vector<pid_t> process_tree(pid_t root, const std::string& proc_root = "/proc");
// Inodes of the sockets the processes hold open.
std::set<unsigned long> socket_inodes(const std::vector<pid_t>& pids,
                                      const std::string& proc_root = "/proc");

enum class TcpState { kEstablished = 0x01, kListen = 0x0A };

// An address as the kernel keeps it, in network byte order; IPv4 as an
// IPv4-mapped IPv6 address (::ffff:a.b.c.d), so tcp and tcp6 compare alike.
using Addr16 = std::array<std::uint8_t, 16>;

struct TcpEntry {
  unsigned local_port = 0;
  unsigned remote_port = 0;
  Addr16 remote_addr{};
  int state = 0;
  unsigned long inode = 0;
};

// Parses /proc/net/tcp or /proc/net/tcp6 text; malformed lines are skipped.
std::vector<TcpEntry> parse_proc_net_tcp(const std::string& text);
// Entries of /proc/net/tcp and tcp6 (under proc_root).
std::vector<TcpEntry> read_tcp_table(const std::string& proc_root = "/proc");

// Does any of `inodes` have an ESTABLISHED connection to remote `port`?
bool has_established(const std::vector<TcpEntry>& table, const std::set<unsigned long>& inodes,
                     unsigned port);
// Inodes listening on local `port`.
std::set<unsigned long> listeners(const std::vector<TcpEntry>& table, unsigned port);

}  // namespace hapkg::ocf
