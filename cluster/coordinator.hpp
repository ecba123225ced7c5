#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <spdlog/logger.h>

#include "core/cluster_settings.hpp"
#include "messages/cluster_door_actor.hpp"
#include "services/node_table.hpp"

namespace stagehand {

/// The coordinator's side of a cluster, as the runtime owns it: the door
/// actor and the port it is published on. A class of its own so that the
/// runtime only decides when to open and close the door, and how it is
/// opened (plain on loopback, or mutual TLS) lives beside the door.
class coordinator {
public:
  /// `sys` must have the middleman and the openssl manager loaded
  /// (`config::enable_cluster`), or `listen` fails.
  coordinator(caf::actor_system& sys, cluster_settings settings,
              std::string types, std::shared_ptr<node_table> nodes,
              std::shared_ptr<spdlog::logger> log);

  coordinator(const coordinator&) = delete;
  coordinator& operator=(const coordinator&) = delete;

  /// `stop("runtime shutdown")`.
  ~coordinator();

  /// Opens the door on `cluster-address` and `port` (0 picks a free one):
  /// with `caf::openssl::publish` when the TLS files are set, else with the
  /// middleman's plain `publish`, which is allowed on loopback only.
  /// @returns the bound port, or `cluster_unavailable` naming the cause.
  caf::expected<std::uint16_t> listen(std::uint16_t port);

  /// The port the door is open on, if it is.
  std::optional<std::uint16_t> port() const {
    return port_;
  }

  /// Says `goodbye` with `reason` to every live worker and closes the door.
  /// Later calls do nothing.
  void stop(const std::string& reason);

private:
  /// Sends `goodbye` to every live worker and waits for each to take it.
  void say_goodbye(const std::string& reason);

  caf::actor_system& sys_;
  cluster_settings settings_;
  std::string types_;
  std::shared_ptr<node_table> nodes_;
  std::shared_ptr<spdlog::logger> log_;
  cluster_door_actor door_;
  std::optional<std::uint16_t> port_;
};

} // namespace stagehand
