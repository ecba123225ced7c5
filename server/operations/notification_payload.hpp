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

/// `backgroundOperationErrorCode` as every response shows it: the number 0
/// when the error did not come from the platform (`code` empty), otherwise
/// the code's text, e.g. `Dialog`.
nlohmann::json error_code_json(std::string_view code);

/// The callback for a failed operation: the same fields, plus
/// `backgroundOperationErrorCode` (see `error_code_json`) and
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
