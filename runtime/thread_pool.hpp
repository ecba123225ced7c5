#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime/blocking_executor.hpp"

namespace stagehand {

/// A pool that grows on demand up to `max_threads`, so that a hundred sleeping
/// codeunits in one session do not delay another session's work. Threads stay
/// once started; jobs beyond the bound wait in FIFO order.
class thread_pool : public blocking_executor {
public:
  explicit thread_pool(std::size_t max_threads);

  thread_pool(const thread_pool&) = delete;
  thread_pool& operator=(const thread_pool&) = delete;

  /// Joins the threads; see `shutdown`.
  ~thread_pool() override;

  void post(std::function<void()> job) override;

  /// Lets the threads finish the queued jobs, then joins them. Must not be
  /// called from a job.
  void shutdown();

  /// Threads started so far.
  std::size_t threads() const;

private:
  void work();

  const std::size_t max_threads_;
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
};

} // namespace stagehand
