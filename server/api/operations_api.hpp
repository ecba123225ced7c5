#pragma once

#include <functional>
#include <string>
#include <vector>

#include "server/operations/operation_settings.hpp"
#include "server/security/security_settings.hpp"
#include "core/metrics.hpp"
#include "core/node_load.hpp"
#include "server/security/api_key_ring.hpp"
#include "server/http/http_metrics.hpp"
#include "server/operations/operation_registry.hpp"
#include "server/scheduler/operation_scheduler.hpp"
#include "server/operations/operation_store.hpp"
#include "server/security/principal.hpp"
#include "server/http/prefer_header.hpp"
#include "server/http/request_handler.hpp"
#include "server/api/admin_endpoint.hpp"
#include "server/api/batch_endpoint.hpp"
#include "server/api/entity_set_endpoint.hpp"
#include "server/api/route_table.hpp"
#include "server/api/skiptoken.hpp"
#include "server/api/submit_endpoint.hpp"
#include "server/security/target_check.hpp"

namespace stagehand {

/// The HTTP API of SPEC.md §3 and issue 6: list the operations, submit one
/// or a `$batch` of them, poll, cancel and list submitted ones (also as the
/// OData entity set of issue 25), register
/// webhooks, plus `/healthz` and `/metrics`. It turns requests into store
/// and scheduler calls and their outcomes into the exact status codes,
/// headers and texts the platform uses. Its route table says who may call
/// what: every `/api/` route needs a bearer key, webhooks an
/// administrator's; a user's view is limited to their own operations, and
/// someone else's answers exactly as a missing one does.
class operations_api : public request_handler {
public:
  /// `check` decides on callback and webhook URLs; it must outlive every
  /// request, and be shut down before the API is destroyed. `tokens` make
  /// and check the entity set's `$skiptoken`s.
  operations_api(const security_settings& security,
                 const operation_settings& operations, operation_store& store,
                 const operation_registry& registry,
                 operation_scheduler& scheduler, http_metrics& metrics,
                 target_check& check, skiptoken tokens);

  /// Where `/metrics` reads the runtime's counters (child sessions, queued
  /// tasks); without one they read 0.
  void set_runtime_counters(std::function<counters()> fn);

  /// Where `/metrics` reads each node's load; without one it shows no node.
  void set_node_loads(std::function<std::vector<node_load>()> fn);

  /// What the admin routes show of the runtime; see `admin_sources`.
  void set_admin_sources(admin_sources sources);

  void handle(http_request req, http_reply reply) override;

  /// Every route, for tests that try each one.
  const route_table& routes() const noexcept {
    return table_;
  }

private:
  std::vector<route> make_routes();

  http_response catalog() const;

  /// The poll answer of one operation; with `entity_query` (the query
  /// string at the entity key) also its row, or with a `$select` only the
  /// row's chosen columns.
  http_response status(const std::string& id, const principal& who,
                       const prefer_header& prefer,
                       const std::string* entity_query = nullptr);

  /// With `stop_running`, a running operation is stopped too (see
  /// `operation_scheduler::cancel`).
  http_response cancel(const std::string& id, const principal& who,
                       bool stop_running = false);

  /// `PATCH` of one row: the SDK's way to cancel, the only update allowed.
  http_response update(const std::string& id, const std::string& body,
                       const principal& who);

  keyed_route status_route();

  keyed_route cancel_route();

  http_response list(const std::string& query, const principal& who);

  void add_webhook(route_call& call, const principal& who);

  operation_store& store_;
  const operation_registry& registry_;
  operation_scheduler& scheduler_;
  http_metrics& metrics_;
  target_check& check_;
  api_key_ring keys_;
  submit_endpoint submit_;
  entity_set_endpoint entity_set_;
  /// Before `table_`, which takes its routes.
  admin_endpoint admin_;
  std::function<counters()> runtime_counters_;
  std::function<std::vector<node_load>()> node_loads_;
  route_table table_;
  /// After `table_`, which it reads to resolve its items.
  batch_endpoint batch_;
};

} // namespace stagehand
