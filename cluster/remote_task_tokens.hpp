#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "core/cancellation_token.hpp"
#include "messages/ids.hpp"

namespace stagehand {

/// The cancellation tokens of the tasks a worker runs, by (page, task): the
/// agent adds and cancels, each job removes its own when it ends, on a pool
/// thread. Page ids are unique on their coordinator, and a worker has one.
class remote_task_tokens {
public:
  using key = std::pair<page_id, task_id>;

  std::shared_ptr<cancellation_token> add(key k) {
    auto token = std::make_shared<cancellation_token>();
    std::lock_guard<std::mutex> guard{mtx_};
    tokens_[k] = token;
    return token;
  }

  /// Cancels the task's codeunit, if it still runs or waits for a thread.
  bool cancel(key k) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = tokens_.find(k);
    if (i == tokens_.end())
      return false;
    i->second->cancel();
    return true;
  }

  void remove(key k) {
    std::lock_guard<std::mutex> guard{mtx_};
    tokens_.erase(k);
  }

  /// Cancels every task, as the worker ends.
  void cancel_all() {
    std::lock_guard<std::mutex> guard{mtx_};
    for (auto& entry : tokens_)
      entry.second->cancel();
  }

private:
  std::mutex mtx_;
  std::map<key, std::shared_ptr<cancellation_token>> tokens_;
};

} // namespace stagehand
