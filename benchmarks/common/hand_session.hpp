#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include "messages/dictionary.hpp"

namespace stagehand::bench {

/// The baseline a user would write by hand without Stagehand: a shared
/// `boost::asio::thread_pool`, per session a mutex-guarded queue with the same
/// limit of 5 running, results through `std::future`, a steady_timer per task
/// for its timeout, and a strand per page on which its "triggers" run.
class hand_session {
public:
  using work_fn = std::function<dictionary()>;
  using done_fn = std::function<void(std::future<dictionary>&)>;

  hand_session(boost::asio::thread_pool& pool, std::size_t limit = 5,
               std::size_t queue_limit = 100)
    : pool_(pool),
      page_(boost::asio::make_strand(pool)),
      limit_(limit),
      queue_limit_(queue_limit) {
  }

  /// @returns false if the queue is full.
  bool submit(work_fn work, std::chrono::milliseconds timeout, done_fn done) {
    std::unique_lock<std::mutex> guard{mtx_};
    if (running_ < limit_) {
      ++running_;
      guard.unlock();
      run({std::move(work), timeout, std::move(done)});
      return true;
    }
    if (queue_.size() >= queue_limit_)
      return false;
    queue_.push_back({std::move(work), timeout, std::move(done)});
    return true;
  }

  std::size_t queued() {
    std::lock_guard<std::mutex> guard{mtx_};
    return queue_.size();
  }

private:
  struct job {
    work_fn work;
    std::chrono::milliseconds timeout;
    done_fn done;
  };

  void run(job j) {
    auto promise = std::make_shared<std::promise<dictionary>>();
    auto future = std::make_shared<std::future<dictionary>>(
      promise->get_future());
    auto finished = std::make_shared<std::atomic<bool>>(false);
    auto timer = std::make_shared<boost::asio::steady_timer>(pool_, j.timeout);
    auto done = std::make_shared<done_fn>(std::move(j.done));
    auto deliver = [this, future, done] {
      release();
      boost::asio::post(page_, [future, done] { (*done)(*future); });
    };
    timer->async_wait([=](const boost::system::error_code& ec) {
      if (ec || finished->exchange(true))
        return;
      promise->set_exception(
        std::make_exception_ptr(std::runtime_error("timeout")));
      deliver();
    });
    boost::asio::post(pool_, [=, work = std::move(j.work)] {
      dictionary result;
      std::exception_ptr error;
      try {
        result = work();
      } catch (...) {
        error = std::current_exception();
      }
      if (finished->exchange(true))
        return; // timed out first
      timer->cancel();
      if (error)
        promise->set_exception(error);
      else
        promise->set_value(std::move(result));
      deliver();
    });
  }

  void release() {
    std::unique_lock<std::mutex> guard{mtx_};
    if (queue_.empty()) {
      --running_;
      return;
    }
    auto next = std::move(queue_.front());
    queue_.pop_front();
    guard.unlock();
    run(std::move(next));
  }

  boost::asio::thread_pool& pool_;
  boost::asio::strand<boost::asio::thread_pool::executor_type> page_;
  std::size_t limit_;
  std::size_t queue_limit_;
  std::mutex mtx_;
  std::deque<job> queue_;
  std::size_t running_ = 0;
};

} // namespace stagehand::bench
