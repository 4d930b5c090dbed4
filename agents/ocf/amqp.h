// Is a worker connected to its message broker? The answer comes from the
// kernel's socket tables, not from netstat: the worker's process tree's
// socket inodes (/proc/PID/fd) matched against the ESTABLISHED entries of
// /proc/PID/net/tcp{,6} (the worker's own network namespace) whose remote
// end is one of the brokers of the service's transport_url.
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ocf/proc.h"

namespace hapkg::ocf {

struct Broker {
  std::string host;  // as written, without IPv6 brackets
  unsigned port = 0;
};

struct TransportUrl {
  std::string scheme;
  std::vector<Broker> brokers;
  std::string error;  // non-empty: not usable (never contains a password)
};

// oslo.messaging's transport_url: "rabbit://user:pass@h1:5672,user:pass@[::1]/vhost".
// A host without a port gets `default_port`; no host at all is localhost
// (oslo.messaging's default "rabbit://").
TransportUrl parse_transport_url(const std::string& url, unsigned default_port);

// The `[DEFAULT] transport_url` of an oslo.config file; "rabbit://" when the
// file has none (oslo.messaging's default). Sets `error` if the file cannot
// be read.
TransportUrl config_transport_url(const std::string& config_path, unsigned default_port);

struct Endpoint {
  Addr16 addr{};
  unsigned port = 0;
};

// Addresses of the brokers: numeric hosts as they are, names through the
// resolver (/etc/hosts first, as nsswitch says). Names that do not resolve
// are listed in `unresolved`.
std::vector<Endpoint> resolve_brokers(const std::vector<Broker>& brokers,
                                      std::vector<std::string>* unresolved);

// Does any of `inodes` hold an ESTABLISHED connection to one of `brokers`?
bool connected_to_broker(const std::vector<TcpEntry>& table, const std::set<unsigned long>& inodes,
                         const std::vector<Endpoint>& brokers);

// "" when the process tree of `root` is connected to one of `brokers`,
// else why not. On the live /proc the sockets are asked directly (their
// peer and TCP state, through pidfd_getfd) unless `tables_only`; the
// kernel's tables in /proc/PID/net/tcp{,6} are the fallback.
std::string broker_connection_problem(pid_t root, const std::vector<Endpoint>& brokers,
                                      const std::string& proc_root = "/proc", bool tables_only = false);

// Does a TCP socket of the process (or, for the tree, of it or a
// descendant) pass `test(local, peer, TCP state as in TCP_INFO)`? Asked of
// each socket directly; nullopt when the process's descriptors cannot be
// duplicated (no ptrace rights, old kernel): read the tables then.
using SocketTest = std::function<bool(const Endpoint& local, const Endpoint& peer, int tcp_state)>;
std::optional<bool> process_has_socket(pid_t pid, const SocketTest& test);
std::optional<bool> tree_has_socket(pid_t root, const SocketTest& test);

// "host:port" for messages ("[::1]:5672" for IPv6).
std::string broker_name(const Broker& b);

}  // namespace hapkg::ocf
