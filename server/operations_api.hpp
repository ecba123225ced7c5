#pragma once

#include <functional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "runtime/config.hpp"
#include "runtime/metrics.hpp"
#include "server/api_key_ring.hpp"
#include "server/http_metrics.hpp"
#include "server/http_route.hpp"
#include "server/operation_registry.hpp"
#include "server/operation_scheduler.hpp"
#include "server/operation_store.hpp"
#include "server/principal.hpp"
#include "server/request_handler.hpp"
#include "server/target_check.hpp"

namespace stagehand {

/// The HTTP API of SPEC.md §3 and issue 6: submit, poll, cancel and list
/// operations, register webhooks, plus `/healthz` and `/metrics`. It turns
/// requests into store and scheduler calls and their outcomes into the exact
/// status codes, headers and texts the platform uses. Every `/api/` call
/// needs a bearer key; a user's view is limited to their own operations,
/// and someone else's answer exactly as a missing one does.
class operations_api : public request_handler {
public:
  operations_api(const config& cfg, operation_store& store,
                 const operation_registry& registry,
                 operation_scheduler& scheduler, http_metrics& metrics);

  /// Checks callback and webhook URLs; `check_url_syntax` by default.
  void set_target_check(target_check check);

  /// Where `/metrics` reads the runtime's counters (child sessions, queued
  /// tasks); without one they read 0.
  void set_runtime_counters(std::function<counters()> fn);

  void handle(http_request req, http_reply reply) override;

private:
  http_route route_of(const std::string& path) const;

  void dispatch(http_route route, const std::string& path,
                const std::string& query, http_request& req,
                const principal* who, http_reply& reply);

  void submit(const std::string& name, http_request& req, const principal& who,
              http_reply& reply);

  http_response status(const std::string& id, const principal& who);

  http_response cancel(const std::string& id, const principal& who);

  http_response list(const std::string& query, const principal& who);

  http_response add_webhook(http_request& req, const principal& who);

  http_response metrics_text();

  const config& cfg_;
  operation_store& store_;
  const operation_registry& registry_;
  operation_scheduler& scheduler_;
  http_metrics& metrics_;
  api_key_ring keys_;
  target_check check_target_ = check_url_syntax;
  std::function<counters()> runtime_counters_;
};

} // namespace stagehand
