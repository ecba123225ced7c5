#pragma once

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include <boost/test/unit_test.hpp>

namespace stagehand::test {

/// How long a test waits for another thread or process before it fails:
/// far above any healthy run on a loaded machine, far below a hung CI job.
inline constexpr std::chrono::milliseconds wait_limit{30'000};

/// Waits for `f`; fails the test naming `what` unless it is ready within
/// `limit`. Call it on the test's own thread.
template <class Future>
void require_ready(Future&& f, const std::string& what,
                   std::chrono::milliseconds limit = wait_limit) {
  BOOST_REQUIRE_MESSAGE(f.wait_for(limit) == std::future_status::ready,
                        what << ": not within " << limit.count() << " ms");
}

/// `require_ready`, then the future's value.
template <class T>
T get_within(std::future<T> f, const std::string& what,
             std::chrono::milliseconds limit = wait_limit) {
  require_ready(f, what, limit);
  return f.get();
}

/// Waits for `f`, a future the test keeps, at most `limit`, failing the
/// test with `what` past it.
template <class T>
T get_within(std::future<T>& f, const char* what,
             std::chrono::seconds limit = std::chrono::seconds(60)) {
  if (f.wait_for(limit) != std::future_status::ready)
    BOOST_FAIL(what << ": nothing after " << limit.count() << " s");
  return f.get();
}

/// Polls `done` every millisecond; fails the test naming `what` unless it
/// holds within `limit`. Call it on the test's own thread.
template <class Pred>
void require_eventually(Pred done, const std::string& what,
                        std::chrono::milliseconds limit = wait_limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline,
                          what << ": not within " << limit.count() << " ms");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

} // namespace stagehand::test
