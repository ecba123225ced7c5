// Latency of the raw CAF floor: one parent, one spawn-request-reply round
// trip at a time.
#include "benchmarks/common/raw_caf_driver.hpp"
#include "benchmarks/common/scenarios.hpp"

namespace stagehand::bench {

std::vector<double> latency_raw_caf(std::int64_t tasks) {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto done = std::make_shared<latch>(tasks);
  sample_set latencies;
  auto parent = sys.spawn(
    raw_parent,
    raw_parent_state{std::make_shared<budget>(tasks), done, &latencies, {}}, 1);
  done->wait();
  return latencies.take();
}

} // namespace stagehand::bench
