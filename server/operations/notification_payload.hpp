#pragma once

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

namespace stagehand {

// The bodies that the notifier POSTs when an operation completes (SPEC.md
// §3). Pure functions of plain values, so that the server's operation record
// and these payloads stay independent. Neither payload carries output
// parameters: a receiver that wants them polls the location, with its own
// credentials.

/// The callback for an operation that did not fail:
/// `{"backgroundOperationId", "backgroundOperationStateCode",
///   "backgroundOperationStatusCode", "location"}`.
nlohmann::json callback_payload(std::string_view operation_id,
                                std::string_view location, int state,
                                int status);

/// The callback for a failed operation: the same fields, plus
/// `backgroundOperationErrorCode` (the error's number, see `error_number`),
/// `backgroundOperationErrorName` (its name, e.g. `Dialog`; empty when the
/// error did not come from the platform) and
/// `backgroundOperationErrorMessage`.
nlohmann::json callback_payload(std::string_view operation_id,
                                std::string_view location, int state,
                                int status, std::string_view error_code,
                                std::string_view error_message);

/// The `OnBackgroundOperationComplete` business event:
/// `{"OperationName", "BackgroundOperationId", "LocationUrl",
///   "BackgroundOperationStateCode", "BackgroundOperationStatusCode"}`.
nlohmann::json completion_event_payload(std::string_view operation_name,
                                        std::string_view operation_id,
                                        std::string_view location, int state,
                                        int status);

} // namespace stagehand
