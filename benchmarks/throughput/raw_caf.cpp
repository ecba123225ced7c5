// Throughput of the raw CAF floor: each parent keeps 5 spawn-request-reply
// round trips in flight.
#include "benchmarks/common/raw_caf_driver.hpp"
#include "benchmarks/common/scenarios.hpp"

namespace stagehand::bench {

double throughput_raw_caf(std::size_t sessions, std::int64_t tasks) {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto budget_ptr = std::make_shared<budget>(tasks);
  auto done = std::make_shared<latch>(tasks);
  std::vector<caf::actor> parents;
  auto start = clock_type::now();
  for (std::size_t i = 0; i < sessions; ++i)
    parents.push_back(sys.spawn(raw_parent,
                                raw_parent_state{budget_ptr, done, nullptr, {}},
                                5));
  done->wait();
  auto seconds = micros(clock_type::now() - start) / 1e6;
  return static_cast<double>(tasks) / seconds;
}

} // namespace stagehand::bench
