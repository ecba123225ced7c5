#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "core/cancellation_token.hpp"
#include "messages/ids.hpp"

namespace stagehand {

/// The cancellation tokens of the work a worker runs, by the key its
/// coordinator names it with: the agent adds and cancels, each job removes
/// its own when it ends, on a pool thread. Ids are unique on their
/// coordinator, and a worker has one.
template <class Key>
class remote_tokens {
public:
  using key = Key;

  std::shared_ptr<cancellation_token> add(key k) {
    auto token = std::make_shared<cancellation_token>();
    std::lock_guard<std::mutex> guard{mtx_};
    tokens_[k] = token;
    return token;
  }

  /// Cancels the codeunit, if it still runs or waits for a thread, with
  /// `reason` for whoever unwinds.
  bool cancel(key k, std::string reason = {}) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = tokens_.find(k);
    if (i == tokens_.end())
      return false;
    i->second->cancel(std::move(reason));
    return true;
  }

  void remove(key k) {
    std::lock_guard<std::mutex> guard{mtx_};
    tokens_.erase(k);
  }

  /// Cancels everything, as the worker ends.
  void cancel_all(const std::string& reason) {
    std::lock_guard<std::mutex> guard{mtx_};
    for (auto& entry : tokens_)
      entry.second->cancel(reason);
  }

private:
  std::mutex mtx_;
  std::map<key, std::shared_ptr<cancellation_token>> tokens_;
};

/// Page tasks, by (page, task): page ids are unique on their coordinator.
using remote_task_tokens = remote_tokens<std::pair<page_id, task_id>>;

/// Background sessions, by session id.
using remote_session_tokens = remote_tokens<session_id>;

} // namespace stagehand
