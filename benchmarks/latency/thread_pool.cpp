// Latency of the hand-written baseline: one session, one empty task at a time.
#include <thread>

#include "benchmarks/common/hand_refill.hpp"
#include "benchmarks/common/scenarios.hpp"

namespace stagehand::bench {

std::vector<double> latency_thread_pool(std::int64_t tasks) {
  boost::asio::thread_pool pool{std::thread::hardware_concurrency()};
  budget tasks_left{tasks};
  latch done{tasks};
  sample_set latencies;
  hand_session session{pool};
  hand_refill page{session, tasks_left, done, hand_empty_task,
                   std::chrono::minutes(2), &latencies};
  page.start();
  done.wait();
  pool.join();
  return latencies.take();
}

} // namespace stagehand::bench
