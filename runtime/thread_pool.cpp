#include "runtime/thread_pool.hpp"

namespace stagehand {

thread_pool::thread_pool(std::size_t max_threads)
  : max_threads_(max_threads > 0 ? max_threads : 1) {}

thread_pool::~thread_pool() {
  shutdown();
}

void thread_pool::post(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    jobs_.emplace_back(std::move(job));
    // Start a thread only when no idle one is left to take this job.
    if (idle_ < jobs_.size() && threads_.size() < max_threads_ && !stopping_)
      threads_.emplace_back([this] {
        work();
      });
  }
  cv_.notify_one();
}

void thread_pool::shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    stopping_ = true;
    threads.swap(threads_);
  }
  cv_.notify_all();
  for (auto& t : threads)
    t.join();
}

std::size_t thread_pool::threads() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return threads_.size();
}

void thread_pool::work() {
  std::unique_lock<std::mutex> guard{mtx_};
  for (;;) {
    ++idle_;
    cv_.wait(guard, [this] {
      return stopping_ || !jobs_.empty();
    });
    --idle_;
    if (jobs_.empty())
      return; // stopping, and nothing left to do
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    guard.unlock();
    job();
    job = nullptr; // release captured handles outside the lock
    guard.lock();
  }
}

} // namespace stagehand
