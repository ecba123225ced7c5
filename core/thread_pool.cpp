#include "core/thread_pool.hpp"

#include <algorithm>

#include <pthread.h>

namespace stagehand {

namespace {

/// Tells the CPU that this thread spins, so a sibling hyperthread gets the
/// core's resources.
void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#else
  std::this_thread::yield();
#endif
}

} // namespace

thread_pool::thread_pool(std::size_t max_threads)
  : thread_pool(max_threads, tuning{}) {}

thread_pool::thread_pool(std::size_t max_threads, tuning t)
  : max_threads_(std::max<std::size_t>(max_threads, 1)), tuning_(t) {
  watcher_ = std::thread{[this] {
    pthread_setname_np(pthread_self(), "stagehand.watch");
    watch();
  }};
}

thread_pool::~thread_pool() {
  shutdown();
}

void thread_pool::post(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (jobs_.empty())
      watch_cv_.notify_one();
    jobs_.emplace_back(std::move(job));
    pending_.fetch_add(1, std::memory_order_release);
    if (idle_ < jobs_.size() && workers_.size() < tuning_.eager_threads
        && workers_.size() < max_threads_ && !stopping_)
      start_worker();
  }
  work_cv_.notify_one();
}

void thread_pool::shutdown() {
  std::deque<worker> workers;
  std::thread watcher;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    stopping_ = true;
    workers.swap(workers_);
    watcher.swap(watcher_);
  }
  work_cv_.notify_all();
  watch_cv_.notify_all();
  if (watcher.joinable())
    watcher.join();
  for (auto& w : workers)
    w.thread.join();
}

std::size_t thread_pool::threads() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return workers_.size();
}

void thread_pool::start_worker() {
  auto& w = workers_.emplace_back();
  w.thread = std::thread{[this, &w] {
    // Otherwise the thread inherits its creator's name, often a CAF worker's,
    // and profiles and `top -H` blame the scheduler for codeunit time.
    pthread_setname_np(pthread_self(), "stagehand.cu");
    work(w);
  }};
}

void thread_pool::work(worker& self) {
  std::unique_lock<std::mutex> guard{mtx_};
  for (;;) {
    ++idle_;
    if (jobs_.empty() && !stopping_) {
      guard.unlock();
      spin_for_job();
      guard.lock();
    }
    work_cv_.wait(guard, [this] { return stopping_ || !jobs_.empty(); });
    --idle_;
    if (jobs_.empty())
      return; // stopping, and nothing left to do
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    pending_.fetch_sub(1, std::memory_order_relaxed);
    self.busy_since = clock::now();
    guard.unlock();
    job();
    job = nullptr; // release captured handles outside the lock
    guard.lock();
    self.busy_since.reset();
  }
}

void thread_pool::watch() {
  std::unique_lock<std::mutex> guard{mtx_};
  while (!stopping_) {
    watch_cv_.wait(guard, [this] { return stopping_ || !jobs_.empty(); });
    if (stopping_)
      return;
    auto now = clock::now();
    auto blocked = static_cast<std::size_t>(
      std::count_if(workers_.begin(), workers_.end(), [&](const worker& w) {
        return w.busy_since && now - *w.busy_since >= tuning_.stall;
      }));
    // Blocked workers hold their threads for an unknown time: give every
    // waiting job a thread of its own rather than one per check, so that a
    // burst of sleeping codeunits delays the jobs behind it by one stall.
    if (blocked > 0 && workers_.size() - blocked < tuning_.eager_threads) {
      auto room = max_threads_ - workers_.size();
      for (auto n = std::min(jobs_.size(), room); n > 0; --n)
        start_worker();
    }
    watch_cv_.wait_for(guard, tuning_.stall / 2);
  }
}

void thread_pool::spin_for_job() {
  if (tuning_.spin.count() == 0
      || spinning_.exchange(true, std::memory_order_acquire))
    return;
  auto until = clock::now() + tuning_.spin;
  // Reading the clock costs more than a poll, so poll a few times per read.
  for (int i = 1; pending_.load(std::memory_order_acquire) == 0; ++i) {
    cpu_relax();
    if (i % 64 == 0 && clock::now() >= until)
      break;
  }
  spinning_.store(false, std::memory_order_release);
}

} // namespace stagehand
