#pragma once
// Polling for what other threads (pages, the node table) do, with a bound:
// the distributed cases fail with the reason instead of hanging.

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "benchmarks/common/measure.hpp"

namespace stagehand::bench {

/// Polls `ready` every millisecond until it holds; throws
/// `std::runtime_error` naming `what` once `limit` has passed.
template <class Predicate>
void await(Predicate ready, const std::string& what,
           std::chrono::seconds limit) {
  auto until = clock_type::now() + limit;
  while (!ready()) {
    if (clock_type::now() >= until)
      throw std::runtime_error(what + " did not happen within "
                               + std::to_string(limit.count()) + " s");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

} // namespace stagehand::bench
