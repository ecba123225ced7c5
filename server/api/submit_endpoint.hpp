#pragma once

#include "server/operations/operation_settings.hpp"
#include "server/operations/operation_record.hpp"
#include "server/operations/operation_registry.hpp"
#include "server/scheduler/operation_scheduler.hpp"
#include "server/operations/operation_store.hpp"
#include "server/security/principal.hpp"
#include "server/api/route_call.hpp"
#include "server/security/target_check.hpp"

namespace stagehand {

/// `POST /api/data/v9.2/<name>` (SPEC.md §3 submit): checks the body against
/// the operation's parameters and the callback URL against the allowlist,
/// commits the operation, and answers 202 once it is stored, or, without
/// `Prefer: respond-async`, with its outcome once it is done. A callback URL
/// with a host name is checked off the HTTP thread, so the answer may come
/// from the check's thread.
class submit_endpoint {
public:
  submit_endpoint(const operation_settings& settings, operation_store& store,
                  const operation_registry& registry,
                  operation_scheduler& scheduler, target_check& check);

  void handle(route_call& call, const principal& who);

private:
  /// Stores `rec` and answers: 202, or the outcome of a synchronous run.
  void commit(operation_record rec, bool respond_async,
              const http_reply& reply);

  const operation_settings& settings_;
  operation_store& store_;
  const operation_registry& registry_;
  operation_scheduler& scheduler_;
  target_check& check_;
};

} // namespace stagehand
