#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace stagehand {

/// CAF's `middleman.heartbeat-interval` and `middleman.connection-timeout`
/// as Stagehand sets them: a node that sends nothing for the timeout is cut
/// off at the next heartbeat tick, so a frozen node is seen lost within
/// about timeout + interval = 700 ms, a crashed one at once (its kernel
/// closes the connection).
inline constexpr std::chrono::milliseconds default_heartbeat_interval{100};
inline constexpr std::chrono::milliseconds default_connection_timeout{600};

/// Where work may run once workers have joined (`stagehand.placement`).
enum class placement_mode {
  /// Only in the coordinator's own process.
  local,
  /// On the least-loaded live node, the coordinator included.
  spread,
  /// Only on workers.
  remote,
};

/// The text of `placement`, or nothing for any other text.
std::optional<placement_mode> parse_placement(const std::string& text);

const char* to_string(placement_mode x);

/// How a node takes part in a cluster (`stagehand.cluster-*`, `node-name`,
/// `worker-capacity`, `placement`). A header of its own, below the runtime's
/// config, so that the cluster layer and the services read these settings
/// without including the config, and a key added here rebuilds only them.
struct cluster_settings {
  /// Port the coordinator accepts workers on; 0 (the default) accepts none.
  std::uint16_t port = 0;

  /// Address the coordinator listens on. Without the three TLS files it
  /// must be a loopback address: the door is then open to local processes
  /// only.
  std::string address = "127.0.0.1";

  /// This node's certificate, its private key and the CA that signed the
  /// cluster's certificates (PEM files). All three turn on mutual TLS; a
  /// node then talks only to nodes whose certificate the same CA signed.
  std::string certificate;
  std::string key;
  std::string ca;

  /// The node's name in logs and the node table; empty means `<host>:<pid>`,
  /// which `config::parse` fills in.
  std::string node_name;

  /// Codeunits a worker runs at once.
  std::size_t worker_capacity = 8;

  /// `local`, `spread` or `remote`; see `placement_mode`.
  std::string placement = "spread";

  /// True if all three TLS files are set.
  bool tls() const {
    return !certificate.empty() && !key.empty() && !ca.empty();
  }
};

/// True for `localhost` and the loopback addresses (127.0.0.0/8, ::1).
bool is_loopback(const std::string& address);

/// The first setting that keeps the cluster settings from being used, as
/// the key without `stagehand.` and why; nothing if they are fine. Checked
/// by `config::validate` and again before the door opens.
struct cluster_problem {
  std::string key;
  std::string why;
};
std::optional<cluster_problem> first_problem(const cluster_settings& x);

/// `<host>:<pid>` of this process.
std::string default_node_name();

} // namespace stagehand
