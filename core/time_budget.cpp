#include "core/time_budget.hpp"

#include <algorithm>

namespace stagehand {

caf::timespan time_budget::remaining() const noexcept {
  if (!clock_)
    return caf::timespan::max();
  auto left
    = std::chrono::duration_cast<caf::timespan>(deadline_ - clock_->now());
  return std::max(left, caf::timespan{0});
}

} // namespace stagehand
