#pragma once

#include <caf/meta/type_name.hpp>

namespace stagehand {

/// Delayed message a supervisor sends itself for its earliest task deadline.
/// One pending timer per supervisor, not one per task, keeps the actor
/// clock small when thousands of tasks per second start with 2-minute
/// timeouts.
struct timeout_tick {};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, timeout_tick&) {
  return f(caf::meta::type_name("stagehand::timeout_tick"));
}

} // namespace stagehand
