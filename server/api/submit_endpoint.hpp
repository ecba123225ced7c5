#pragma once

#include <string>
#include <variant>
#include <vector>

#include <caf/expected.hpp>
#include <nlohmann/json.hpp>

#include "server/operations/operation_settings.hpp"
#include "server/operations/operation_record.hpp"
#include "server/operations/operation_registry.hpp"
#include "server/scheduler/operation_scheduler.hpp"
#include "server/operations/operation_store.hpp"
#include "server/security/principal.hpp"
#include "server/api/route_call.hpp"
#include "server/security/target_check.hpp"

namespace stagehand {

/// A submit that passed every check but its callback URL's, ready to store.
struct checked_submit {
  operation_record rec;
  bool respond_async = false;
  /// The `odata.include-annotations` preference as sent, to acknowledge in
  /// `Preference-Applied`; empty unless it asked for the labels.
  std::string include_annotations;
};

/// `POST /api/data/v9.2/<name>` (SPEC.md §3 submit): checks the body against
/// the operation's parameters and the callback URL against the allowlist,
/// commits the operation, and answers 202 once it is stored, or, without
/// `Prefer: respond-async`, with its outcome once it is done. A callback URL
/// with a host name is checked off the HTTP thread, so the answer may come
/// from the check's thread. `$batch` runs its items through `check` and
/// `accept_all`, so that each answers as it would alone.
class submit_endpoint {
public:
  submit_endpoint(const operation_settings& settings, operation_store& store,
                  const operation_registry& registry,
                  operation_scheduler& scheduler, target_check& check);

  /// `POST` of an action or a function, its inputs in a JSON body.
  void handle(route_call& call, const principal& who);

  /// `GET` of a function, its inputs in the path (see `check_function`).
  void handle_function(route_call& call, const principal& who);

  /// Checks a submit of `operation` by `who` with `body` and the `Prefer`
  /// and `Idempotency-Key` header values, in the order a lone request meets
  /// them: the operation exists (404), the body parsed and binds, the key
  /// fits (400). The callback URL is left to the caller: it may need a
  /// lookup.
  std::variant<checked_submit, http_response>
  check(const std::string& operation, caf::expected<nlohmann::json> body,
        const std::string& prefer, const std::string& key,
        const principal& who) const;

  /// `check` for a function call, `<name>(Text='hi')` with the `query`
  /// string for aliases. An action answers 405 with `Allow: POST`: it
  /// changes things, so a `GET` may not run it.
  std::variant<checked_submit, http_response>
  check_function(const std::string& segment, const std::string& query,
                 const std::string& prefer, const std::string& key,
                 const principal& who) const;

  /// Stores `recs` in one transaction and answers each as a lone
  /// respond-async submit would: 202, or 422 for an idempotency key used
  /// before with another body.
  std::vector<http_response> accept_all(std::vector<operation_record> recs);

private:
  /// Gives `rec` its id and times, as it is stored.
  static void stamp(operation_record& rec);

  /// Answers a refused submit, or commits a checked one once its callback
  /// URL passed, whichever way it came.
  void submit(route_call& call,
              std::variant<checked_submit, http_response> checked);

  /// The answer to a respond-async submit that the store took as `outcome`,
  /// acknowledging `include_annotations` if it was asked for.
  http_response accepted(const operation_store::insert_outcome& outcome,
                         const std::string& include_annotations = {});

  /// Stores the submit and answers: 202, or the outcome of a synchronous
  /// run.
  void commit(checked_submit ok, const http_reply& reply);

  const operation_settings& settings_;
  operation_store& store_;
  const operation_registry& registry_;
  operation_scheduler& scheduler_;
  target_check& check_;
};

} // namespace stagehand
