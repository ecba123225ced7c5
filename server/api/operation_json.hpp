#pragma once

#include <string>

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
                     const std::string& status_field,
                     operation_status status);

/// One row of `GET /api/backgroundoperations`: every stored column under its
/// lower-case name, plus `location`.
nlohmann::json listing_row(const operation_record& rec,
                           const std::string& location);

} // namespace stagehand
