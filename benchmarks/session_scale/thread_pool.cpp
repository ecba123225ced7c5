// Session scale in the hand-written baseline: a session queue and a page
// strand per session.
#include <thread>

#include "benchmarks/common/hand_refill.hpp"
#include "benchmarks/common/scenarios.hpp"

namespace stagehand::bench {

scale_result session_scale_thread_pool(std::size_t sessions) {
  boost::asio::thread_pool pool{std::thread::hardware_concurrency()};
  std::vector<std::unique_ptr<hand_session>> list;
  list.reserve(sessions);
  auto result = measure_opening(sessions, [&] {
    for (std::size_t i = 0; i < sessions; ++i)
      list.push_back(std::make_unique<hand_session>(pool));
  });
  pool.join();
  return result;
}

} // namespace stagehand::bench
