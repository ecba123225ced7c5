// Timer lateness of the hand-written baseline: one asio steady_timer per
// task on the shared pool, deadlines spread over 10–1,000 ms.
#include <memory>
#include <random>
#include <thread>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "benchmarks/common/measure.hpp"
#include "benchmarks/common/scenarios.hpp"

namespace stagehand::bench {

std::vector<double> timeouts_thread_pool(std::int64_t tasks) {
  boost::asio::thread_pool pool{std::thread::hardware_concurrency()};
  sample_set lateness;
  latch done{tasks};
  std::mt19937 rng{42};
  std::uniform_int_distribution<int> delay_ms{10, 1000};
  std::vector<std::unique_ptr<boost::asio::steady_timer>> timers;
  timers.reserve(tasks);
  for (std::int64_t i = 0; i < tasks; ++i) {
    auto due = clock_type::now() + std::chrono::milliseconds(delay_ms(rng));
    timers.push_back(std::make_unique<boost::asio::steady_timer>(pool, due));
    timers.back()->async_wait([&, due](const boost::system::error_code&) {
      lateness.add(micros(clock_type::now() - due));
      done.count_down();
    });
  }
  done.wait();
  pool.join();
  return lateness.take();
}

} // namespace stagehand::bench
