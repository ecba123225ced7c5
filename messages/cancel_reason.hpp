#pragma once

#include <cstdint>
#include <string>

namespace stagehand {

/// Why a page gave up on a task. A cancelled task fires no trigger, but the
/// cancellation is still logged, counted and reported to observers.
enum class cancel_reason : std::uint8_t {
  record_changed,
  page_closed,
  session_closed,
  requested,
  /// The page's subscriber is gone (it quit, or its node was lost).
  subscriber_lost,
};

std::string to_string(cancel_reason x);

} // namespace stagehand
