#include "server/operations/operation_status.hpp"

namespace stagehand {

const char* label(operation_status x) noexcept {
  switch (x) {
  case operation_status::waiting_for_resources:
    return "Waiting For Resources";
  case operation_status::in_progress:
    return "In Progress";
  case operation_status::canceling:
    return "Canceling";
  case operation_status::succeeded:
    return "Succeeded";
  case operation_status::failed:
    return "Failed";
  case operation_status::canceled:
    return "Canceled";
  }
  return "?";
}

const char* state_label(operation_status x) noexcept {
  switch (state_code(x)) {
  case 0:
    return "Ready";
  case 2:
    return "Locked";
  default:
    return "Completed";
  }
}

bool from_status_code(int code, operation_status& out) noexcept {
  switch (code) {
  case 0:
  case 20:
  case 22:
  case 30:
  case 31:
  case 32:
    out = static_cast<operation_status>(code);
    return true;
  default:
    return false;
  }
}

} // namespace stagehand
