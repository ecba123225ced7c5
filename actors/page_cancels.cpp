#include "actors/page.hpp"

#include "core/errc.hpp"

namespace stagehand {

std::size_t page_state::cancel(const std::vector<task_id>& ids,
                               cancel_reason reason) {
  std::vector<task_id> cancelled;
  auto cancel_one = [&](std::map<task_id, pending_task>::iterator i) {
    auto entry = settle(i);
    setup_.svc->stats->cancelled.fetch_add(1, std::memory_order_relaxed);
    cancelled.push_back(entry.task.id);
    auto err = make_error(errc::task_cancelled,
                          caf::make_message(entry.task.id, reason));
    if (entry.enqueue_reply.pending())
      entry.enqueue_reply.deliver(err);
    if (entry.run_reply.pending())
      entry.run_reply.deliver(err);
    // On a worker, the cancel has to cross the network: its report waits
    // for the supervisor to say how it ended.
    auto state
      = entry.on_worker ? cancel_state::requested : cancel_state::acknowledged;
    setup_.svc->log->info("session_type=Background session_id={} page_id={} "
                          "task_id={} tag={} event=cancelled reason={} "
                          "cancel_state={}",
                          setup_.session, setup_.id, entry.task.id,
                          entry.task.tag, to_string(reason), to_string(state));
    page_task_cancelled report{setup_.id, std::move(entry.task), reason, state};
    if (entry.on_worker)
      unsettled_cancels_.emplace(report.task.id, std::move(report));
    else
      report_cancel(std::move(report));
    release_pending();
  };
  if (ids.empty()) {
    while (!pending_.empty())
      cancel_one(pending_.begin());
  } else {
    for (auto id : ids)
      if (auto i = pending_.find(id); i != pending_.end())
        cancel_one(i);
  }
  if (!cancelled.empty()) {
    self_->send(setup_.supervisor, cancel_tasks{setup_.id, cancelled});
    check_all_done();
  }
  return cancelled.size();
}

void page_state::cancel_settled(const task_cancel_settled& msg) {
  auto i = unsettled_cancels_.find(msg.id);
  if (i == unsettled_cancels_.end())
    return; // reported already, as the page closed
  auto report = std::move(i->second);
  unsettled_cancels_.erase(i);
  report.state = msg.state;
  report_cancel(std::move(report));
}

void page_state::report_unsettled_cancels() {
  auto unsettled = std::move(unsettled_cancels_);
  unsettled_cancels_.clear();
  for (auto& [id, report] : unsettled)
    report_cancel(std::move(report));
}

void page_state::report_cancel(page_task_cancelled report) {
  page_event ev;
  ev.what = page_event::kind::cancelled;
  ev.task = report.task;
  ev.reason = report.reason;
  ev.cancel = report.state;
  tell_subscriber(std::move(report));
  emit(std::move(ev));
}

} // namespace stagehand
