// Queue memory in the hand-written baseline: the same two phases, with tasks
// that block their pool thread until the benchmark ends.
#include <atomic>
#include <thread>

#include "benchmarks/common/hand_session.hpp"
#include "benchmarks/common/measure.hpp"
#include "benchmarks/common/scenarios.hpp"

namespace stagehand::bench {

double queue_memory_thread_pool(std::size_t sessions) {
  boost::asio::thread_pool pool{std::thread::hardware_concurrency()};
  std::atomic<bool> stop{false};
  auto block = [&stop] {
    while (!stop)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return dictionary{};
  };
  std::vector<std::unique_ptr<hand_session>> list;
  auto open_loaded = [&](int tasks) {
    auto before = rss_bytes();
    for (std::size_t i = 0; i < sessions; ++i) {
      list.push_back(std::make_unique<hand_session>(pool));
      for (int j = 0; j < tasks; ++j)
        list.back()->submit(block, std::chrono::hours(1),
                            [](std::future<dictionary>&) {});
    }
    return rss_bytes() - before;
  };
  auto running_only = open_loaded(5);
  auto with_queue = open_loaded(105);
  stop = true;
  pool.join();
  return (static_cast<double>(with_queue) - running_only) / (sessions * 100.0);
}

} // namespace stagehand::bench
