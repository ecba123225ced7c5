#include "actors/page.hpp"

#include <utility>

#include "core/errc.hpp"
#include "messages/placement.hpp"

namespace stagehand {

// -- supervisor reports -------------------------------------------------------

void page_state::admitted(task_id id) {
  auto entry = find(id);
  if (entry == nullptr)
    return; // cancelled before the supervisor answered
  setup_.svc->stats->enqueued.fetch_add(1, std::memory_order_relaxed);
  page_event ev;
  ev.what = page_event::kind::enqueued;
  ev.task = entry->task;
  emit(std::move(ev));
  // A web-service session answers only once the task has finished.
  if (setup_.client != client_type::web_service
      && entry->enqueue_reply.pending())
    entry->enqueue_reply.deliver(id);
}

void page_state::rejected(task_id id, const caf::error& reason) {
  auto i = pending_.find(id);
  if (i == pending_.end())
    return;
  auto entry = settle(i);
  auto& stats = *setup_.svc->stats;
  stats.enqueue_failed.fetch_add(1, std::memory_order_relaxed);
  page_event ev;
  ev.what = page_event::kind::enqueue_failed;
  ev.task = entry.task;
  ev.text = describe(reason);
  emit(std::move(ev));
  if (entry.enqueue_reply.pending())
    entry.enqueue_reply.deliver(reason);
  else if (entry.run_reply.pending())
    entry.run_reply.deliver(reason);
  else
    notify("error", describe(reason)); // enqueued by a trigger: a runtime error
  release_pending();
  check_all_done();
}

void page_state::started(task_id id, const std::string& node) {
  if (auto entry = find(id)) {
    entry->on_worker = node != local_node_name;
    page_event ev;
    ev.what = page_event::kind::started;
    ev.task = entry->task;
    ev.node = node;
    emit(std::move(ev));
    tell_subscriber(page_task_started{setup_.id, entry->task, node});
  }
}

void page_state::finished(task_finished& msg) {
  auto i = pending_.find(msg.id);
  if (i == pending_.end() || msg.record_epoch != record_epoch_) {
    setup_.svc->log->debug("session_type=Background session_id={} page_id={} "
                           "task_id={} event=stale_result_dropped",
                           setup_.session, setup_.id, msg.id);
    return;
  }
  auto entry = settle(i);
  auto& stats = *setup_.svc->stats;
  auto& outcome = msg.outcome;
  if (outcome.what == task_outcome::kind::completed) {
    stats.completed.fetch_add(1, std::memory_order_relaxed);
    page_event ev;
    ev.what = page_event::kind::completed;
    ev.task = entry.task;
    ev.results = outcome.results;
    emit(std::move(ev));
    if (entry.run_triggers) {
      run_trigger(task_completed_trigger, [&] {
        setup_.triggers->on_page_background_task_completed(*this, entry.task,
                                                           outcome.results);
      });
      tell_subscriber(
        page_task_completed{setup_.id, entry.task, outcome.results});
    }
    if (entry.run_reply.pending())
      entry.run_reply.deliver(std::move(outcome.results));
    conclude(entry);
    return;
  }
  auto& counter = outcome.what == task_outcome::kind::timed_out
                    ? stats.timed_out
                    : stats.failed;
  counter.fetch_add(1, std::memory_order_relaxed);
  std::vector<page_event> held;
  if (!entry.run_triggers) {
    conclude_error(entry, outcome.error, false, held);
  } else if (setup_.subscriber) {
    await_handled(std::move(entry), std::move(outcome.error));
  } else {
    bool handled = false;
    held_notifications_ = &held;
    run_trigger(task_error_trigger, [&] {
      setup_.triggers->on_page_background_task_error(*this, entry.task,
                                                     outcome.error, handled);
    });
    held_notifications_ = nullptr;
    conclude_error(entry, outcome.error, handled, held);
  }
}

void page_state::await_handled(pending_task entry, task_error error) {
  auto awaited = std::make_shared<awaited_error>(
    awaited_error{std::move(entry), std::move(error)});
  auto conclude = [this, awaited](bool handled) {
    std::vector<page_event> none;
    conclude_error(awaited->entry, awaited->error, handled, none);
  };
  // Awaited, not `then`: like the error trigger, the answer comes before the
  // page handles anything else (CAF 0.17 holds back every other message,
  // a close or a lost subscriber included), so no other outcome overtakes it.
  self_
    ->request(setup_.subscriber, setup_.svc->limits.subscriber_reply_timeout,
              page_task_error{setup_.id, awaited->entry.task, awaited->error})
    .await(conclude, [this, awaited, conclude](caf::error& err) {
      setup_.svc->log->info("session_type=Background session_id={} "
                            "page_id={} task_id={} event=error_unanswered "
                            "reason=\"{}\"",
                            setup_.session, setup_.id, awaited->entry.task.id,
                            describe(err));
      conclude(false);
    });
}

void page_state::conclude_error(pending_task& entry, const task_error& error,
                                bool handled, std::vector<page_event>& held) {
  page_event ev;
  ev.what = page_event::kind::error;
  ev.task = entry.task;
  ev.error = error;
  ev.handled = handled;
  emit(std::move(ev));
  for (auto& note : held)
    publish_notification(std::move(note));
  if (entry.run_triggers && !handled && entry.task.level != error_level::ignore)
    notify(to_string(entry.task.level), error.text);
  if (entry.run_reply.pending())
    entry.run_reply.deliver(
      make_error(errc::task_failed, caf::make_message(error.code, error.text)));
  conclude(entry);
}

void page_state::conclude(pending_task& entry) {
  if (entry.enqueue_reply.pending())
    entry.enqueue_reply.deliver(entry.task.id);
  release_pending();
  check_all_done();
}

void page_state::check_all_done() {
  if (!pending_.empty() || closed)
    return;
  run_trigger("OnAllBackgroundTasksDone", [this] {
    setup_.triggers->on_all_background_tasks_done(*this);
  });
  tell_subscriber(page_tasks_done{setup_.id});
  for (auto& rp : done_waiters)
    rp.deliver(caf::unit);
  done_waiters.clear();
}

} // namespace stagehand
