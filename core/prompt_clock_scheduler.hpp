#pragma once

#include <caf/actor_system_config.hpp>

namespace stagehand {

/// Makes every actor system built from `cfg` keep its timers on a
/// `prompt_actor_clock`, with CAF's work-stealing (as
/// `clock_first_work_stealing`) or work-sharing scheduler around it
/// (`scheduler.policy`). CAF's deterministic test
/// scheduler (policy `testing`) keeps its own clock. Calling it again on the
/// same config changes nothing.
void use_prompt_clock(caf::actor_system_config& cfg);

} // namespace stagehand
