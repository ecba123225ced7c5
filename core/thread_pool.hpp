#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "core/blocking_executor.hpp"

namespace stagehand {

/// Runs codeunits off the actor scheduler. Short codeunits run fastest on
/// about one thread per core; codeunits that sleep or wait need a thread
/// each, or they hold back everyone queued behind them. So the pool starts
/// `tuning::eager_threads` threads on demand at once, and a watcher adds more
/// only when threads are stuck in one job for `tuning::stall`, up to
/// `max_threads`. Threads stay once started; jobs wait in FIFO order.
class thread_pool : public blocking_executor {
public:
  // -- member types -----------------------------------------------------------

  using clock = std::chrono::steady_clock;

  struct tuning {
    /// Threads started as soon as jobs need them.
    std::size_t eager_threads = std::thread::hardware_concurrency();
    /// How long a thread runs one job before it counts as blocked.
    std::chrono::microseconds stall{1000};
    /// How long one idle thread spins before it sleeps, because waking a
    /// sleeping thread costs tens of microseconds, many times the cost of a
    /// short codeunit.
    std::chrono::microseconds spin{50};
  };

  // -- construction -----------------------------------------------------------

  explicit thread_pool(std::size_t max_threads);

  thread_pool(std::size_t max_threads, tuning t);

  thread_pool(const thread_pool&) = delete;
  thread_pool& operator=(const thread_pool&) = delete;

  /// Joins the threads; see `shutdown`.
  ~thread_pool() override;

  // -- blocking_executor ------------------------------------------------------

  void post(std::function<void()> job) override;

  // -- control and inspection -------------------------------------------------

  /// Lets the threads finish the queued jobs, then joins them. Must not be
  /// called from a job.
  void shutdown();

  /// Threads started so far.
  std::size_t threads() const;

private:
  // -- worker state -----------------------------------------------------------

  struct worker {
    std::thread thread;
    /// When the current job started; unset while the worker waits.
    std::optional<clock::time_point> busy_since;
  };

  // -- implementation ---------------------------------------------------------

  /// Requires `mtx_` held.
  void start_worker();

  void work(worker& self);

  /// Adds a thread for every waiting job when blocked workers leave fewer
  /// than `eager_threads` workers to take them.
  void watch();

  /// Waits up to `spin` for a job without sleeping, if no other thread is
  /// spinning.
  void spin_for_job();

  const std::size_t max_threads_;
  const tuning tuning_;
  mutable std::mutex mtx_;
  std::condition_variable work_cv_;
  std::condition_variable watch_cv_;
  std::deque<std::function<void()>> jobs_;
  /// A deque, so that workers keep their addresses as it grows.
  std::deque<worker> workers_;
  std::thread watcher_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
  /// Jobs posted and not yet taken, readable without the lock.
  std::atomic<std::size_t> pending_{0};
  std::atomic<bool> spinning_{false};
};

} // namespace stagehand
