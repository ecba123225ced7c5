#pragma once

#include <caf/actor_clock.hpp>
#include <caf/timespan.hpp>

namespace stagehand {

/// What is left of a piece of work's timeout, read on the clock of the node
/// that runs it. Nodes share no clock, so a budget never crosses the network
/// as a point in time: the sender puts what is left (`remaining`) in the
/// message, and the receiver starts a budget of that length on its own clock
/// (`starting_now`). The clock is the actor system's, which CAF's test
/// coordinator moves by hand.
class time_budget {
public:
  using time_point = caf::actor_clock::time_point;

  /// No limit: `remaining` is the longest timespan there is.
  time_budget() = default;

  /// Ends at `deadline` on `clock`, which must outlive the budget.
  time_budget(const caf::actor_clock& clock, time_point deadline)
    : clock_(&clock), deadline_(deadline) {}

  /// A budget of `length` from now on `clock`.
  static time_budget starting_now(const caf::actor_clock& clock,
                                  caf::timespan length) {
    return {clock, clock.now() + length};
  }

  /// False for a budget without a limit.
  explicit operator bool() const noexcept {
    return clock_ != nullptr;
  }

  /// What is left; zero once the deadline has passed.
  caf::timespan remaining() const noexcept;

private:
  const caf::actor_clock* clock_ = nullptr;
  time_point deadline_;
};

} // namespace stagehand
