#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "messages/ids.hpp"
#include "services/page_event.hpp"

namespace stagehand {

/// The page background tasks an operator sees on the admin page: for each
/// parent session, the tasks running in a child session and those queued
/// for a slot. Pages tell the board each step through `observer()`; a task
/// leaves it with its outcome, which the page itself already received.
class page_task_board {
public:
  struct task {
    task_id id = 0;
    page_id page = 0;
    codeunit_id codeunit = 0;
    std::string tag;
    /// Running: "local" or the worker that runs it; queued: empty.
    std::string node;
    bool running = false;
    /// When it entered its state, in milliseconds since the epoch.
    std::int64_t since = 0;
  };

  struct parent {
    session_id id = 0;
    std::vector<task> running;
    std::vector<task> queued;
  };

  /// Feeds the board; give it to the runtime. The board must outlive the
  /// runtime, whose page actors call it.
  page_observer observer();

  /// Every parent session with a task, lowest id first; tasks oldest first.
  std::vector<parent> parents() const;

private:
  void apply(const page_event& event);

  mutable std::mutex mtx_;
  /// Keyed by parent session, then task: task ids are per session.
  std::map<std::pair<session_id, task_id>, task> tasks_;
};

} // namespace stagehand
