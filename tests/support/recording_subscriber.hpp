#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "messages/enqueue_task.hpp"
#include "messages/page_actor.hpp"
#include "messages/page_subscriber_actor.hpp"
#include "messages/session_subscriber_actor.hpp"

namespace stagehand::test {

/// How a recording subscriber answers `page_task_error`.
enum class error_answer { handled, unhandled, silent };

/// What a recording subscriber saw, one line per message in arrival order
/// ("started 1", "completed 1 Wait=20", "error 1 Dialog: text level=error",
/// "cancelled 1 page_closed", "notification warning: text", "done",
/// "ended 7 completed"), and how it is told to behave. Shared with the test,
/// which may read it from another thread on the real scheduler.
struct subscriber_record {
  error_answer on_error = error_answer::unhandled;
  /// How many completions are answered by enqueueing `again` on `page`.
  int reenqueue = 0;
  page_actor page;
  enqueue_task again;

  void add(std::string line);

  std::vector<std::string> lines() const;

  /// Waits until a line starting with `prefix` arrived; false after `limit`.
  bool wait_for(const std::string& prefix, std::chrono::milliseconds limit);

private:
  mutable std::mutex mtx_;
  std::condition_variable changed_;
  std::vector<std::string> lines_;
};

/// A page subscriber that records every event in `rec` and answers as `rec`
/// says; a silent answer drops its promise undelivered.
page_subscriber_actor
spawn_page_subscriber(caf::actor_system& sys,
                      std::shared_ptr<subscriber_record> rec);

/// A session subscriber that records each `session_ended` in `rec`.
session_subscriber_actor
spawn_session_subscriber(caf::actor_system& sys,
                         std::shared_ptr<subscriber_record> rec);

} // namespace stagehand::test
