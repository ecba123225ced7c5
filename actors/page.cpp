#include "actors/page.hpp"

#include <stdexcept>
#include <string_view>
#include <utility>

#include <caf/send.hpp>

#include "actors/sender_check.hpp"
#include "core/errc.hpp"
#include "data/user_write.hpp"
#include "services/work_placement.hpp"

namespace stagehand {

// -- life cycle ---------------------------------------------------------------

void page_state::init(pointer self, page_setup setup) {
  self_ = self;
  setup_ = std::move(setup);
  // A subscriber on another node is a proxy, which CAF 0.17 kills when the
  // connection goes: the monitor fires for a lost node as for a quit actor.
  if (setup_.subscriber)
    self_->monitor(setup_.subscriber);
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
  // No supervisor: the page was opened in a session that had closed, and it
  // closes as soon as its session says so.
  if (closed || !setup_.supervisor)
    return fail(make_error(errc::page_closed));
  if (!can_place_work(*setup_.svc, request.codeunit))
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
  // A closed page waits for nothing: the cancels that its workers have not
  // answered are reported as they stand.
  report_unsettled_cancels();
  run_trigger("OnClosePage", [this] {
    setup_.triggers->on_close_page(*this);
  });
  for (auto& rp : done_waiters)
    rp.deliver(make_error(errc::page_closed));
  done_waiters.clear();
  self_->send(setup_.parent, page_detached{setup_.id});
}

void page_state::subscriber_lost() {
  setup_.svc->log->info("session_type=Background session_id={} page_id={} "
                        "event=subscriber_lost",
                        setup_.session, setup_.id);
  close(cancel_reason::subscriber_lost);
  self_->quit();
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

void page_state::refuse_ui_in_task_trigger(const char* call) const {
  if (running_trigger_ == nullptr)
    return;
  std::string_view trigger{running_trigger_};
  if (trigger == task_completed_trigger || trigger == task_error_trigger)
    throw std::runtime_error(std::string{call} + " is not allowed in "
                             + std::string{trigger}
                             + ": page background task triggers have no UI; "
                               "send a notification instead.");
}

bool page_state::confirm(const std::string& question, bool default_answer) {
  refuse_ui_in_task_trigger("confirm");
  return setup_.triggers->on_confirm(*this, question, default_answer);
}

int page_state::str_menu(const std::string& options, int default_choice) {
  refuse_ui_in_task_trigger("str_menu");
  return setup_.triggers->on_str_menu(*this, options, default_choice);
}

void page_state::run_page(std::int32_t page) {
  refuse_ui_in_task_trigger("run_page");
  setup_.triggers->on_run_page(*this, page);
}

std::uint64_t page_state::write(std::function<void(database&)> work) {
  auto id = next_write_id_++;
  auto me = caf::actor_cast<page_internal_actor>(self_);
  // Like a child job, it holds the company directory, not the services.
  setup_.svc->executor->post([me, id, work = std::move(work),
                              companies = setup_.svc->companies,
                              company = setup_.company] {
    auto done = run_user_write(*companies, company, work);
    caf::send_as(me, me, write_done{id, done ? caf::error{} : done.error()});
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
    publish_notification(std::move(ev));
}

void page_state::publish_notification(page_event ev) {
  tell_subscriber(page_notification{setup_.id, ev.level, ev.text});
  emit(std::move(ev));
}

// -- behavior -----------------------------------------------------------------

namespace {

/// True if the report being handled comes from the page's supervisor; logs
/// and refuses it otherwise.
bool from_supervisor(page_state::pointer self, const char* message) {
  return accept_from(self, self->state.supervisor(), self->state.svc(),
                     message);
}

} // namespace

page_internal_actor::behavior_type page(page_state::pointer self,
                                        page_setup setup) {
  auto parent = setup.parent;
  auto id = setup.id;
  self->set_down_handler([self](caf::down_msg&) {
    // The subscriber is the only actor a page monitors.
    self->state.subscriber_lost();
  });
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
    // What the supervisor reports, only the supervisor may say; and only the
    // page's own write jobs report writes.
    [self](task_admitted& msg) {
      if (from_supervisor(self, "task_admitted"))
        self->state.admitted(msg.id);
    },
    [self](task_rejected& msg) {
      if (from_supervisor(self, "task_rejected"))
        self->state.rejected(msg.id, msg.reason);
    },
    [self](task_started& msg) {
      if (from_supervisor(self, "task_started"))
        self->state.started(msg.id, msg.node);
    },
    [self](task_finished& msg) {
      if (from_supervisor(self, "task_finished"))
        self->state.finished(msg);
    },
    [self](task_cancel_settled& msg) {
      if (from_supervisor(self, "task_cancel_settled"))
        self->state.cancel_settled(msg);
    },
    [self](write_done& msg) {
      if (accept_from(self, self, self->state.svc(), "write_done"))
        self->state.write_finished(msg);
    },
  };
}

// -- spawning -----------------------------------------------------------------

page_handle spawn_page(caf::actor_system& sys, const services_ptr& svc,
                       const session_handle& session,
                       session_supervisor_actor supervisor, page_id id,
                       std::string record_id,
                       std::shared_ptr<page_triggers> triggers,
                       page_subscriber_actor subscriber) {
  page_setup setup{svc,
                   session.id,
                   session.client,
                   session.actor,
                   std::move(supervisor),
                   id,
                   std::move(record_id),
                   std::move(triggers),
                   session.company,
                   session.user,
                   std::move(subscriber)};
  return {id, session.id, sys.spawn(page, std::move(setup))};
}

} // namespace stagehand
