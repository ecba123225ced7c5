#include "actors/page.hpp"

#include <utility>

#include <caf/send.hpp>

#include "runtime/errc.hpp"
#include "runtime/user_write.hpp"

namespace stagehand {

// -- life cycle ---------------------------------------------------------------

void page_state::init(pointer self, page_setup setup) {
  self_ = self;
  setup_ = std::move(setup);
  run_trigger("OnOpenPage", [this] {
    setup_.triggers->on_open_page(*this);
  });
  run_trigger("OnAfterGetCurrRecord", [this] {
    setup_.triggers->on_after_get_curr_record(*this);
  });
}

// -- requests -----------------------------------------------------------------

caf::expected<task_id> page_state::submit(enqueue_task request,
                                          bool run_triggers) {
  auto fail = [&](caf::error err) {
    auto& stats = *setup_.svc->stats;
    stats.enqueue_failed.fetch_add(1, std::memory_order_relaxed);
    page_event ev;
    ev.what = page_event::kind::enqueue_failed;
    ev.task.codeunit = request.codeunit;
    ev.task.tag = request.tag;
    ev.text = describe(err);
    emit(std::move(ev));
    return err;
  };
  if (closed)
    return fail(make_error(errc::page_closed));
  if (setup_.svc->codeunits->find(request.codeunit) == nullptr)
    return fail(
      make_error(errc::unknown_codeunit, caf::make_message(request.codeunit)));
  auto& limits = setup_.svc->limits;
  auto timeout = limits.default_timeout;
  if (request.timeout) {
    if (request.timeout->count() < 0)
      return fail(
        make_error(errc::negative_timeout,
                   caf::make_message(std::int64_t{
                     std::chrono::duration_cast<std::chrono::milliseconds>(
                       *request.timeout)
                       .count()})));
    timeout = std::min(*request.timeout, limits.max_timeout);
  }
  auto id = next_task_id_++;
  background_task task{setup_.session,
                       setup_.id,
                       id,
                       request.codeunit,
                       std::move(request.parameters),
                       timeout,
                       request.level,
                       setup_.record_id,
                       record_epoch_,
                       std::move(request.tag),
                       setup_.company,
                       setup_.user};
  self_->send(setup_.supervisor, submit_task{task, self_});
  pending_task entry;
  entry.task = std::move(task);
  entry.run_triggers = run_triggers;
  pending_.emplace(id, std::move(entry));
  setup_.svc->stats->pending_tasks.fetch_add(1, std::memory_order_relaxed);
  return id;
}

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
    setup_.svc->log->info("session_type=Background session_id={} page_id={} "
                          "task_id={} tag={} event=cancelled reason={}",
                          setup_.session, setup_.id, entry.task.id,
                          entry.task.tag, to_string(reason));
    page_event ev;
    ev.what = page_event::kind::cancelled;
    ev.task = std::move(entry.task);
    ev.reason = reason;
    emit(std::move(ev));
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

void page_state::change_record(std::string record_id) {
  if (record_id == setup_.record_id)
    return;
  ++record_epoch_;
  cancel({}, cancel_reason::record_changed);
  setup_.record_id = std::move(record_id);
  run_trigger("OnAfterGetCurrRecord", [this] {
    setup_.triggers->on_after_get_curr_record(*this);
  });
}

void page_state::close(cancel_reason reason) {
  if (closed)
    return;
  // Closed first, so that triggers from here on cannot enqueue.
  closed = true;
  cancel({}, reason);
  run_trigger("OnClosePage", [this] {
    setup_.triggers->on_close_page(*this);
  });
  for (auto& rp : done_waiters)
    rp.deliver(make_error(errc::page_closed));
  done_waiters.clear();
  self_->send(setup_.parent, page_detached{setup_.id});
}

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

void page_state::started(task_id id) {
  if (auto entry = find(id)) {
    page_event ev;
    ev.what = page_event::kind::started;
    ev.task = entry->task;
    emit(std::move(ev));
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
  auto& task = entry.task;
  auto& stats = *setup_.svc->stats;
  auto& outcome = msg.outcome;
  if (outcome.what == task_outcome::kind::completed) {
    stats.completed.fetch_add(1, std::memory_order_relaxed);
    page_event ev;
    ev.what = page_event::kind::completed;
    ev.task = task;
    ev.results = outcome.results;
    emit(std::move(ev));
    if (entry.run_triggers)
      run_trigger("OnPageBackgroundTaskCompleted", [&] {
        setup_.triggers->on_page_background_task_completed(*this, task,
                                                           outcome.results);
      });
    if (entry.run_reply.pending())
      entry.run_reply.deliver(std::move(outcome.results));
  } else {
    auto& counter = outcome.what == task_outcome::kind::timed_out
                      ? stats.timed_out
                      : stats.failed;
    counter.fetch_add(1, std::memory_order_relaxed);
    bool handled = false;
    std::vector<page_event> held;
    if (entry.run_triggers) {
      held_notifications_ = &held;
      run_trigger("OnPageBackgroundTaskError", [&] {
        setup_.triggers->on_page_background_task_error(*this, task,
                                                       outcome.error, handled);
      });
      held_notifications_ = nullptr;
    }
    page_event ev;
    ev.what = page_event::kind::error;
    ev.task = task;
    ev.error = outcome.error;
    ev.handled = handled;
    emit(std::move(ev));
    for (auto& note : held)
      emit(std::move(note));
    if (entry.run_triggers && !handled && task.level != error_level::ignore)
      notify(to_string(task.level), outcome.error.text);
    if (entry.run_reply.pending())
      entry.run_reply.deliver(
        make_error(errc::task_failed,
                   caf::make_message(outcome.error.code, outcome.error.text)));
  }
  if (entry.enqueue_reply.pending())
    entry.enqueue_reply.deliver(task.id);
  release_pending();
  check_all_done();
}

// -- page_context -------------------------------------------------------------

caf::expected<task_id>
page_state::enqueue_background_task(enqueue_task request) {
  return submit(std::move(request), true);
}

bool page_state::cancel_background_task(task_id id) {
  return cancel({id}, cancel_reason::requested) == 1;
}

void page_state::send_notification(std::string text) {
  notify("info", std::move(text));
}

void page_state::message(std::string text) {
  notify("info", std::move(text));
}

bool page_state::confirm(const std::string& question, bool default_answer) {
  return setup_.triggers->on_confirm(*this, question, default_answer);
}

int page_state::str_menu(const std::string& options, int default_choice) {
  return setup_.triggers->on_str_menu(*this, options, default_choice);
}

void page_state::run_page(std::int32_t page) {
  setup_.triggers->on_run_page(*this, page);
}

std::uint64_t page_state::write(std::function<void(database&)> work) {
  auto id = next_write_id_++;
  auto me = caf::actor_cast<page_actor>(self_);
  // Like a child job, it holds the company directory, not the services.
  setup_.svc->executor->post([me, id, work = std::move(work),
                              companies = setup_.svc->companies,
                              company = setup_.company] {
    auto done = run_user_write(*companies, company, work);
    caf::anon_send(me, write_done{id, done ? caf::error{} : done.error()});
  });
  return id;
}

void page_state::write_finished(write_done& msg) {
  if (msg.error)
    setup_.svc->log->info("session_type=UserSession session_id={} page_id={} "
                          "write_id={} event=rolled_back reason=\"{}\"",
                          setup_.session, setup_.id, msg.id,
                          describe(msg.error));
  run_trigger("OnWriteDone", [&] {
    setup_.triggers->on_write_done(*this, msg.id, msg.error);
  });
}

// -- state --------------------------------------------------------------------

page_state::pending_task* page_state::find(task_id id) {
  auto i = pending_.find(id);
  return i != pending_.end() ? &i->second : nullptr;
}

page_state::pending_task
page_state::settle(std::map<task_id, pending_task>::iterator i) {
  auto entry = std::move(i->second);
  pending_.erase(i);
  return entry;
}

void page_state::release_pending() {
  setup_.svc->stats->pending_tasks.fetch_sub(1, std::memory_order_relaxed);
}

void page_state::emit(page_event ev) {
  if (!setup_.svc->observer)
    return;
  ev.session = setup_.session;
  ev.page = setup_.id;
  // The observer is the embedder's code running on this actor: an exception
  // that escaped would end the page and strand its tasks.
  try {
    setup_.svc->observer(ev);
  } catch (const std::exception& e) {
    log_escaped("observer", "observer_error", e.what());
  } catch (...) {
    log_escaped("observer", "observer_error", "unknown exception");
  }
}

void page_state::log_escaped(const char* where, const char* event,
                             const char* text) {
  setup_.svc->log->warn("session_type=Background session_id={} page_id={} "
                        "trigger={} event={} text=\"{}\"",
                        setup_.session, setup_.id, where, event, text);
}

void page_state::notify(std::string level, std::string text) {
  page_event ev;
  ev.what = page_event::kind::notification;
  ev.level = std::move(level);
  ev.text = std::move(text);
  if (held_notifications_ != nullptr)
    held_notifications_->push_back(std::move(ev));
  else
    emit(std::move(ev));
}

template <class F>
void page_state::run_trigger(const char* trigger, F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    log_escaped(trigger, "trigger_error", e.what());
    // Errors inside triggers always show at level Error (SPEC.md §1).
    notify("error", e.what());
  } catch (...) {
    log_escaped(trigger, "trigger_error", "unknown exception");
    notify("error", std::string{trigger} + " raised an unknown exception.");
  }
}

void page_state::check_all_done() {
  if (!pending_.empty() || closed)
    return;
  run_trigger("OnAllBackgroundTasksDone", [this] {
    setup_.triggers->on_all_background_tasks_done(*this);
  });
  for (auto& rp : done_waiters)
    rp.deliver(caf::unit);
  done_waiters.clear();
}

// -- behavior -----------------------------------------------------------------

page_actor::behavior_type page(page_state::pointer self, page_setup setup) {
  auto parent = setup.parent;
  auto id = setup.id;
  self->state.init(self, std::move(setup));
  // The session may already be closing; then this page closes at once.
  self->request(parent, caf::infinite, attach_page{id, self})
    .then([] {},
          [self](caf::error&) {
            self->state.close(cancel_reason::session_closed);
            self->quit();
          });
  return {
    [self](enqueue_task& request) -> caf::result<task_id> {
      auto& st = self->state;
      auto id = st.submit(std::move(request), true);
      if (!id)
        return std::move(id.error());
      auto rp = self->make_response_promise<task_id>();
      st.find(*id)->enqueue_reply = rp;
      return rp;
    },
    [self](run_task_now& request) -> caf::result<dictionary> {
      auto& st = self->state;
      auto id = st.submit(enqueue_task{request.codeunit,
                                       std::move(request.parameters), caf::none,
                                       error_level::error, ""},
                          request.run_completion_triggers);
      if (!id)
        return std::move(id.error());
      auto rp = self->make_response_promise<dictionary>();
      st.find(*id)->run_reply = rp;
      return rp;
    },
    [self](cancel_task& msg) {
      return self->state.cancel_background_task(msg.id);
    },
    [self](change_record& msg) {
      self->state.change_record(std::move(msg.record_id));
    },
    [self](close_page& msg) {
      self->state.close(msg.reason);
      self->quit();
    },
    [self](pending_tasks_atom) {
      return std::uint64_t{self->state.pending_background_tasks()};
    },
    [self](tasks_done_atom) -> caf::result<void> {
      auto& st = self->state;
      if (st.pending_background_tasks() == 0)
        return caf::unit;
      auto rp = self->make_response_promise();
      st.done_waiters.push_back(rp);
      return rp;
    },
    [self](task_admitted& msg) {
      self->state.admitted(msg.id);
    },
    [self](task_rejected& msg) {
      self->state.rejected(msg.id, msg.reason);
    },
    [self](task_started& msg) {
      self->state.started(msg.id);
    },
    [self](task_finished& msg) {
      self->state.finished(msg);
    },
    [self](write_done& msg) {
      self->state.write_finished(msg);
    },
  };
}

} // namespace stagehand
