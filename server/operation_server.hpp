#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <spdlog/logger.h>

#include "server/serve_config.hpp"
#include "core/metrics.hpp"
#include "core/node_load.hpp"
#include "server/http/http_metrics.hpp"
#include "server/http/http_server.hpp"
#include "server/operations/operation_completion.hpp"
#include "server/operations/operation_registry.hpp"
#include "server/operations/operation_runner.hpp"
#include "server/scheduler/operation_scheduler.hpp"
#include "server/operations/operation_store.hpp"
#include "server/api/operations_api.hpp"
#include "server/security/target_check.hpp"

namespace stagehand {

/// `stagehand serve` without the process around it: the system database,
/// the scheduler, the API and the HTTP listener, created and stopped in the
/// one order that is safe. The app and the tests both run this.
class operation_server {
public:
  /// `cfg`, `registry` and `runner` must outlive the server.
  operation_server(const serve_config& cfg, const operation_registry& registry,
                   operation_runner& runner,
                   std::shared_ptr<spdlog::logger> log);

  operation_server(const operation_server&) = delete;
  operation_server& operator=(const operation_server&) = delete;

  /// Shuts down with the configured grace period if still running.
  ~operation_server();

  // -- seams, set before `start` ----------------------------------------------

  /// Where terminal operations are reported (the notifier).
  void set_completion_sink(completion_sink sink);

  /// Decides which callback and webhook URLs are allowed (the notifier's
  /// allowlist); without one, loopback only. The server shuts it down.
  void set_target_check(std::unique_ptr<target_check> check);

  /// The runtime's counters for `/metrics`.
  void set_runtime_counters(std::function<counters()> fn);

  /// Each node's load for `/metrics` (`local` and every worker).
  void set_node_loads(std::function<std::vector<node_load>()> fn);

  /// The sessions, page tasks and session stop of the admin routes.
  void set_admin_sources(admin_sources sources);

  // -- life cycle -------------------------------------------------------------

  /// Opens `<data-dir>/system.db`, binds, recovers interrupted operations
  /// and starts serving. The 202 of a submit is sent only once its row is
  /// committed.
  caf::error start();

  /// `http://ADDRESS:PORT` as bound, or `http-public-url` if set.
  const std::string& base_url() const noexcept {
    return base_url_;
  }

  std::uint16_t port() const;

  /// SIGTERM: stops accepting, lets running operations finish within the
  /// grace period, stops and requeues the rest, flushes the database,
  /// answers URL checks still waiting for DNS with 503 and stops serving.
  void shutdown();

  /// The store, for the notifier's webhook list and for tests. Valid after
  /// `start`.
  operation_store& store() {
    return *store_;
  }

  /// The API's route table, for tests that try every route. Valid after
  /// `start`.
  const route_table& routes() const {
    return api_->routes();
  }

private:
  const serve_config& cfg_;
  const operation_registry& registry_;
  operation_runner& runner_;
  std::shared_ptr<spdlog::logger> log_;
  completion_sink sink_;
  std::unique_ptr<target_check> check_;
  std::function<counters()> counters_;
  std::function<std::vector<node_load>()> node_loads_;
  admin_sources admin_;
  std::string base_url_;
  // Declared in creation order; shutdown() stops them in reverse.
  std::shared_ptr<operation_store> store_;
  http_metrics metrics_;
  std::unique_ptr<operation_scheduler> scheduler_;
  std::unique_ptr<operations_api> api_;
  std::unique_ptr<http_server> http_;
  bool running_ = false;
};

} // namespace stagehand
