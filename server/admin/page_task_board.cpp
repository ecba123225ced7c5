#include "server/admin/page_task_board.hpp"

#include "core/wall_clock.hpp"

namespace stagehand {

page_observer page_task_board::observer() {
  return [this](const page_event& event) {
    apply(event);
  };
}

void page_task_board::apply(const page_event& event) {
  using kind = page_event::kind;
  auto key = std::make_tuple(event.session, event.page, event.task.id);
  std::lock_guard<std::mutex> guard{mtx_};
  switch (event.what) {
  case kind::enqueued:
  case kind::started: {
    auto& t = tasks_[key];
    t.id = event.task.id;
    t.page = event.page;
    t.codeunit = event.task.codeunit;
    t.tag = event.task.tag;
    t.since = now_ms();
    if (event.what == kind::started) {
      t.node = event.node;
      t.running = true;
    }
    return;
  }
  case kind::completed:
  case kind::error:
  case kind::cancelled:
    tasks_.erase(key);
    return;
  case kind::enqueue_failed:
  case kind::notification:
    return;
  }
}

std::vector<page_task_board::parent> page_task_board::parents() const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<parent> out;
  for (auto& [key, t] : tasks_) {
    auto session = std::get<0>(key);
    if (out.empty() || out.back().id != session)
      out.push_back(parent{session, {}, {}});
    (t.running ? out.back().running : out.back().queued).push_back(t);
  }
  return out;
}

} // namespace stagehand
