#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "server/operations/operation_record.hpp"

namespace stagehand {

/// The `Retry-After` of a 202 and of a status that is not final: SPEC.md §3
/// asks clients to poll at most once a minute.
inline constexpr const char* poll_retry_after = "60";

/// The answer to `GET` of one operation (SPEC.md §3): the state
/// and status codes, the outputs flattened in on success, the error code and
/// message on failure (and on a cancel after a failed attempt).
nlohmann::json status_body(const operation_record& rec);

/// What OData appends to a property's name for its label.
inline constexpr const char* formatted_value_suffix
  = "@OData.Community.Display.V1.FormattedValue";

/// Puts the labels of `status` and of its state ("Ready", "Waiting For
/// Resources", ...) into `body` beside the codes, under the names
/// `state_field` and `status_field` with `formatted_value_suffix`.
void add_code_labels(nlohmann::json& body, const std::string& state_field,
                     const std::string& status_field, operation_status status);

/// The columns of the `backgroundoperations` entity set, by the article's
/// logical names: what `entity_row` writes and `$select` may name. The
/// server's bookkeeping (callback URL, idempotency key, body hash, cancel
/// request, next attempt, delivery failure, notified) is not among them.
const std::vector<std::string>& entity_columns();

/// One row of `GET /api/data/v9.2/backgroundoperations`: each of
/// `entity_columns()`.
nlohmann::json entity_row(const operation_record& rec);

/// One row of the older `GET /api/backgroundoperations`: `entity_row`, plus
/// `errorname` and `location`, which its clients read. The server's
/// bookkeeping shows to no caller here either: a callback URL, an
/// idempotency key or a delivery failure is the server's own business, and
/// an administrator's view of it belongs to a route of its own.
nlohmann::json listing_row(const operation_record& rec,
                           const std::string& location);

} // namespace stagehand
