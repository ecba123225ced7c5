#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "server/operations/operation_record.hpp"

namespace stagehand {

/// The `Retry-After` of a 202 and of a status that is not final: SPEC.md §3
/// asks clients to poll at most once a minute.
inline constexpr const char* poll_retry_after = "60";

/// The answer to `GET /api/backgroundoperation/<id>` (SPEC.md §3): the state
/// and status codes, the outputs flattened in on success, the error code and
/// message on failure (and on a cancel after a failed attempt).
nlohmann::json status_body(const operation_record& rec);

/// One row of `GET /api/backgroundoperations`: every stored column under its
/// lower-case name, plus `location`.
nlohmann::json listing_row(const operation_record& rec,
                           const std::string& location);

} // namespace stagehand
