// Session scale on raw CAF: a session and its page as two bare actors.
#include "benchmarks/common/raw_caf_driver.hpp"
#include "benchmarks/common/scenarios.hpp"

namespace stagehand::bench {

namespace {

caf::behavior bare(caf::event_based_actor*, latch* opened) {
  opened->count_down();
  return {[](caf::ok_atom) {}};
}

} // namespace

scale_result session_scale_raw_caf(std::size_t sessions) {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  latch opened{static_cast<std::int64_t>(2 * sessions)};
  std::vector<caf::actor> actors;
  actors.reserve(2 * sessions);
  return measure_opening(sessions, [&] {
    for (std::size_t i = 0; i < 2 * sessions; ++i)
      actors.push_back(sys.spawn(bare, &opened));
    opened.wait();
  });
}

} // namespace stagehand::bench
