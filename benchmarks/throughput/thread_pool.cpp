// Throughput of the hand-written baseline: each session keeps 5 empty tasks
// in flight through its own queue on a shared asio thread pool.
#include <memory>
#include <thread>
#include <vector>

#include "benchmarks/common/hand_refill.hpp"
#include "benchmarks/common/scenarios.hpp"

namespace stagehand::bench {

double throughput_thread_pool(std::size_t sessions, std::int64_t tasks) {
  boost::asio::thread_pool pool{std::thread::hardware_concurrency()};
  budget tasks_left{tasks};
  latch done{tasks};
  std::vector<std::unique_ptr<hand_session>> session_list;
  std::vector<std::unique_ptr<hand_refill>> pages;
  auto start = clock_type::now();
  for (std::size_t i = 0; i < sessions; ++i) {
    session_list.push_back(std::make_unique<hand_session>(pool));
    pages.push_back(std::make_unique<hand_refill>(*session_list.back(),
                                                  tasks_left, done,
                                                  hand_empty_task));
    for (int j = 0; j < 5; ++j)
      pages.back()->start();
  }
  done.wait();
  auto seconds = micros(clock_type::now() - start) / 1e6;
  pool.join();
  return static_cast<double>(tasks) / seconds;
}

} // namespace stagehand::bench
