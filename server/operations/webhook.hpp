#pragma once

#include <cstdint>
#include <string>

namespace stagehand {

/// A subscription registered through `POST /api/webhooks`: the notifier
/// posts the event's payload to `url` whenever the event happens.
struct webhook {
  std::string id;
  /// So far only `OnBackgroundOperationComplete`.
  std::string event;
  std::string url;
  std::string created_by;
  std::int64_t created_on = 0;
};

/// The business event raised when an operation reaches a terminal state.
inline constexpr const char* operation_complete_event
  = "OnBackgroundOperationComplete";

} // namespace stagehand
