// Isolation on raw CAF, written naively: the 100 ms sleep runs inside the
// child actor, on a scheduler thread, while a probe parent runs empty round
// trips. This is what Stagehand's worker pool exists to prevent.
#include <limits>

#include "benchmarks/common/raw_caf_driver.hpp"
#include "benchmarks/common/scenarios.hpp"

namespace stagehand::bench {

std::vector<double> isolation_raw_caf(int sleepers, std::int64_t probes) {
  // Declared before the actor system: its destructor waits for the actors
  // that still write here.
  sample_set latencies;
  auto forever = std::make_shared<budget>(std::numeric_limits<int>::max());
  auto never = std::make_shared<latch>(std::numeric_limits<int>::max());
  auto probe_budget = std::make_shared<budget>(probes);
  auto done = std::make_shared<latch>(probes);
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  std::vector<caf::actor> parents;
  for (int i = 0; i < sleepers; ++i)
    parents.push_back(sys.spawn(
      raw_parent,
      raw_parent_state{forever, never, nullptr, std::chrono::milliseconds(100)},
      5));
  auto start = clock_type::now();
  parents.push_back(sys.spawn(
    raw_parent, raw_parent_state{probe_budget, done, &latencies, {}}, 1));
  if (!done->wait_for(isolation_window)) {
    probe_budget->stop();
    latencies.add(micros(clock_type::now() - start)); // censored: still waiting
  }
  forever->stop();
  return latencies.take();
}

} // namespace stagehand::bench
