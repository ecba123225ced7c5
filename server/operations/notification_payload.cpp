#include "server/operations/notification_payload.hpp"

#include <string>

#include "server/operations/error_number.hpp"

namespace stagehand {

nlohmann::json callback_payload(std::string_view operation_id,
                                std::string_view location, int state,
                                int status) {
  return {
    {"backgroundOperationId", std::string{operation_id}},
    {"backgroundOperationStateCode", state},
    {"backgroundOperationStatusCode", status},
    {"location", std::string{location}},
  };
}

nlohmann::json callback_payload(std::string_view operation_id,
                                std::string_view location, int state,
                                int status, std::string_view error_code,
                                std::string_view error_message) {
  auto payload = callback_payload(operation_id, location, state, status);
  payload["backgroundOperationErrorCode"] = error_number(error_code);
  payload["backgroundOperationErrorName"] = std::string{error_code};
  payload["backgroundOperationErrorMessage"] = std::string{error_message};
  return payload;
}

nlohmann::json completion_event_payload(std::string_view operation_name,
                                        std::string_view operation_id,
                                        std::string_view location, int state,
                                        int status) {
  return {
    {"OperationName", std::string{operation_name}},
    {"BackgroundOperationId", std::string{operation_id}},
    {"LocationUrl", std::string{location}},
    {"BackgroundOperationStateCode", state},
    {"BackgroundOperationStatusCode", status},
  };
}

} // namespace stagehand
