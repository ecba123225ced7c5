// Tests core/thread_pool.hpp: it grows when jobs block so they do not hold
// back others, stays on its eager threads while jobs are short, stays within
// its bound, and drains on shutdown.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "core/thread_pool.hpp"
#include "tests/support/deadline.hpp"

using namespace stagehand;

namespace {

/// A gate that blocked jobs wait on until the test opens it. Every wait has
/// a deadline: a job gives up after `wait_limit`, the test fails with a
/// message.
struct gate {
  std::mutex mtx;
  std::condition_variable cv;
  bool open = false;
  int waiting = 0;

  /// Called by jobs.
  void wait() {
    std::unique_lock<std::mutex> guard{mtx};
    ++waiting;
    cv.notify_all();
    cv.wait_for(guard, test::wait_limit, [this] {
      return open;
    });
  }

  /// Called by the test.
  void await_waiting(int n) {
    std::unique_lock<std::mutex> guard{mtx};
    BOOST_REQUIRE_MESSAGE(cv.wait_for(guard, test::wait_limit,
                                      [&] { return waiting >= n; }),
                          waiting << " of " << n << " jobs reached the gate");
  }

  /// Called by the test.
  void await_open(const char* what) {
    std::unique_lock<std::mutex> guard{mtx};
    BOOST_REQUIRE_MESSAGE(cv.wait_for(guard, test::wait_limit,
                                      [&] { return open; }),
                          what << ": not within the wait limit");
  }

  void release() {
    std::lock_guard<std::mutex> guard{mtx};
    open = true;
    cv.notify_all();
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(core_thread_pool)

BOOST_AUTO_TEST_CASE(blocked_jobs_do_not_hold_back_new_ones) {
  thread_pool pool{16};
  gate g;
  for (int i = 0; i < 10; ++i)
    pool.post([&] {
      g.wait();
    });
  g.await_waiting(10);
  std::atomic<bool> ran{false};
  gate done;
  pool.post([&] {
    ran = true;
    done.release();
  });
  done.await_open("the job posted after ten blocked ones");
  BOOST_CHECK(ran);
  // Ten threads are blocked, so the eleventh job needed a thread of its own;
  // the watcher may have added one more while it ran, never more than that.
  BOOST_CHECK_GE(pool.threads(), 11u);
  BOOST_CHECK_LE(pool.threads(), 12u);
  g.release();
  pool.shutdown();
}

BOOST_AUTO_TEST_CASE(jobs_beyond_the_bound_wait_and_all_run) {
  thread_pool pool{2};
  std::atomic<int> ran{0};
  for (int i = 0; i < 100; ++i)
    pool.post([&] {
      ++ran;
    });
  BOOST_CHECK_LE(pool.threads(), 2u);
  pool.shutdown();
  BOOST_CHECK_EQUAL(ran.load(), 100);
}

BOOST_AUTO_TEST_CASE(short_jobs_stay_on_the_eager_threads) {
  // A stall nobody reaches: no job ever counts as blocked.
  thread_pool pool{64, {2, std::chrono::hours(1), std::chrono::microseconds(50)}};
  std::atomic<int> ran{0};
  gate all_ran;
  for (int i = 0; i < 1000; ++i)
    pool.post([&] {
      if (++ran == 1000)
        all_ran.release();
    });
  all_ran.await_open("1000 short jobs");
  BOOST_CHECK_LE(pool.threads(), 2u); // before shutdown, which forgets them
  pool.shutdown();
}

BOOST_AUTO_TEST_CASE(a_blocked_eager_thread_gets_company) {
  thread_pool pool{8, {1, std::chrono::milliseconds(1), std::chrono::microseconds(0)}};
  gate g;
  pool.post([&] { g.wait(); });
  g.await_waiting(1);
  gate done;
  pool.post([&] { done.release(); });
  done.await_open("the job posted beside the blocked eager thread");
  BOOST_CHECK_EQUAL(pool.threads(), 2u);
  g.release();
  pool.shutdown();
}

BOOST_AUTO_TEST_SUITE_END()
