// Isolation in the hand-written baseline: `sleepers` sessions keep 5 tasks each
// sleeping 100 ms on the shared pool while a probe session runs empty tasks.
#include <limits>
#include <thread>

#include "benchmarks/common/hand_refill.hpp"
#include "benchmarks/common/scenarios.hpp"

namespace stagehand::bench {

std::vector<double> isolation_thread_pool(int sleepers, std::int64_t probes) {
  boost::asio::thread_pool pool{std::thread::hardware_concurrency()};
  budget forever{std::numeric_limits<int>::max()};
  latch never{std::numeric_limits<int>::max()};
  auto sleep = [] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return dictionary{};
  };
  std::vector<std::unique_ptr<hand_session>> sessions;
  std::vector<std::unique_ptr<hand_refill>> pages;
  for (int i = 0; i < sleepers; ++i) {
    sessions.push_back(std::make_unique<hand_session>(pool));
    pages.push_back(
      std::make_unique<hand_refill>(*sessions.back(), forever, never, sleep));
    for (int j = 0; j < 5; ++j)
      pages.back()->start();
  }
  budget probe_budget{probes};
  latch done{probes};
  sample_set latencies;
  hand_session probe_session{pool};
  hand_refill probe{probe_session, probe_budget, done, hand_empty_task,
                    std::chrono::minutes(2), &latencies};
  auto start = clock_type::now();
  probe.start();
  if (!done.wait_for(isolation_window)) {
    probe_budget.stop();
    latencies.add(micros(clock_type::now() - start)); // censored: still waiting
  }
  forever.stop();
  pool.join();
  return latencies.take();
}

} // namespace stagehand::bench
