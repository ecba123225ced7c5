#include "actors/session_supervisor.hpp"

#include <algorithm>

#include "actors/child_session.hpp"
#include "actors/sender_check.hpp"
#include "core/errc.hpp"

namespace stagehand {

namespace {

using state = session_supervisor_state;
using self_ptr = session_supervisor_actor::stateful_pointer<state>;

/// Makes sure a tick arrives by `due`.
void wake_up_by(self_ptr self, state::time_point due) {
  auto& st = self->state;
  if (st.wakeup && *st.wakeup <= due)
    return;
  st.wakeup = due;
  self->delayed_send(self, due - self->clock().now(), timeout_tick{});
}

void start(self_ptr self, state::entry e) {
  auto& st = self->state;
  auto& task = e.task;
  state::task_key key{task.page, task.id};
  e.child = self->spawn(child_session, task, self, st.svc);
  self->send(e.page, task_started{task.id});
  st.svc->stats->active_child_sessions.fetch_add(1, std::memory_order_relaxed);
  st.running.emplace(key, std::move(e));
}

void start_queued(self_ptr self) {
  auto& st = self->state;
  while (st.running.size() < st.svc->limits.max_concurrency
         && !st.queued.empty()) {
    auto e = std::move(st.queued.front());
    st.queued.pop_front();
    st.svc->stats->queued_tasks.fetch_sub(1, std::memory_order_relaxed);
    start(self, std::move(e));
  }
}

/// Removes a running task and frees its slot. Whichever of its outcome, its
/// timeout or its cancel arrives first releases it; the others find nothing
/// and are dropped. This is the one place where that race is decided.
/// @returns the entry, or nothing if the task no longer runs.
caf::optional<state::entry> release(self_ptr self, const state::task_key& key) {
  auto& st = self->state;
  auto i = st.running.find(key);
  if (i == st.running.end())
    return caf::none;
  auto e = std::move(i->second);
  st.running.erase(i);
  if (e.deadline)
    st.deadlines.erase(*e.deadline);
  st.svc->stats->active_child_sessions.fetch_sub(1, std::memory_order_relaxed);
  return e;
}

void log_event(const state& st, const background_task& task,
               const char* event) {
  st.svc->log->info("session_type=ChildSession session_id={} page_id={} "
                    "task_id={} codeunit={} tag={} event={}",
                    st.session, task.page, task.id, task.codeunit, task.tag,
                    event);
}

/// A result that lost the race against its timeout or cancel.
void log_dropped(const state& st, const child_finished& msg) {
  st.svc->log->debug("session_type=ChildSession session_id={} page_id={} "
                     "task_id={} event=late_result_dropped",
                     st.session, msg.page, msg.id);
}

/// The running entry that a report about `key` is for, if its child session
/// sent it. A report from anyone else is refused and logged; one for a task
/// that no longer runs (timed out, cancelled) finds nothing.
state::entry* report_target(self_ptr self, const state::task_key& key,
                            const char* message) {
  auto i = self->state.running.find(key);
  if (i == self->state.running.end()
      || !accept_from(self, i->second.child, *self->state.svc, message))
    return nullptr;
  return &i->second;
}

} // namespace

session_supervisor_actor::behavior_type
session_supervisor(self_ptr self, session_id session, services_ptr svc) {
  self->state.session = session;
  self->state.svc = std::move(svc);
  return {
    [self](submit_task& msg) {
      auto& st = self->state;
      if (!accept_from(self, msg.page, *st.svc, "submit_task"))
        return;
      auto& limits = st.svc->limits;
      auto id = msg.task.id;
      if (st.running.size() < limits.max_concurrency && st.queued.empty()) {
        self->send(msg.page, task_admitted{id});
        start(self, {std::move(msg.task), std::move(msg.page), {}, {}});
      } else if (st.queued.size() < limits.max_queue_length) {
        self->send(msg.page, task_admitted{id});
        st.svc->stats->queued_tasks.fetch_add(1, std::memory_order_relaxed);
        st.queued.push_back({std::move(msg.task), std::move(msg.page), {}, {}});
      } else {
        log_event(st, msg.task, "rejected_queue_full");
        self->send(
          msg.page,
          task_rejected{
            id, make_error(errc::queue_full,
                           caf::make_message(
                             st.session, std::uint64_t{st.queued.size()}))});
      }
    },
    [self](cancel_tasks& msg) {
      auto& st = self->state;
      if (!accept_local(self, *st.svc, "cancel_tasks"))
        return;
      for (auto id : msg.ids) {
        if (auto e = release(self, {msg.page, id})) {
          self->send(e->child, cancel_atom::value);
          continue;
        }
        auto i = std::find_if(
          st.queued.begin(), st.queued.end(), [&](const state::entry& e) {
            return e.task.page == msg.page && e.task.id == id;
          });
        if (i != st.queued.end()) {
          st.queued.erase(i);
          st.svc->stats->queued_tasks.fetch_sub(1, std::memory_order_relaxed);
        }
      }
      start_queued(self);
    },
    [self](child_started& msg) {
      // The timeout counts the codeunit's own run, not its wait for a thread.
      auto& st = self->state;
      auto e = report_target(self, {msg.page, msg.id}, "child_started");
      if (e == nullptr || e->deadline)
        return;
      auto due
        = self->clock().now() + e->task.timeout + state::timeout_resolution;
      e->deadline = st.deadlines.emplace(due, state::task_key{msg.page, msg.id});
      wake_up_by(self, due);
    },
    [self](child_finished& msg) {
      state::task_key key{msg.page, msg.id};
      if (self->state.running.count(key) == 0) {
        // Timed out or cancelled before this result arrived: drop it.
        log_dropped(self->state, msg);
        return;
      }
      if (!report_target(self, key, "child_finished"))
        return;
      auto e = release(self, key);
      self->send(e->page, task_finished{msg.id, e->task.record_epoch,
                                        std::move(msg.outcome)});
      start_queued(self);
    },
    [self](timeout_tick) {
      auto& st = self->state;
      if (!accept_from(self, self, *st.svc, "timeout_tick"))
        return;
      auto now = self->clock().now();
      if (st.wakeup && *st.wakeup <= now)
        st.wakeup.reset(); // this is the tick we waited for
      while (!st.deadlines.empty() && st.deadlines.begin()->first <= now) {
        auto e = release(self, st.deadlines.begin()->second);
        log_event(st, e->task, "timed_out");
        self->send(e->child, cancel_atom::value);
        self->send(e->page, task_finished{e->task.id, e->task.record_epoch,
                                          task_outcome::timed_out()});
      }
      if (!st.deadlines.empty())
        wake_up_by(self, st.deadlines.begin()->first);
      start_queued(self);
    },
    [self](load_atom) {
      auto& st = self->state;
      return std::make_tuple(std::uint64_t{st.running.size()},
                             std::uint64_t{st.queued.size()});
    },
    [self](shutdown_atom) {
      auto& st = self->state;
      if (!accept_local(self, *st.svc, "shutdown"))
        return;
      for (auto& [key, e] : st.running)
        self->send(e.child, cancel_atom::value);
      st.svc->stats->active_child_sessions.fetch_sub(st.running.size(),
                                                     std::memory_order_relaxed);
      st.svc->stats->queued_tasks.fetch_sub(st.queued.size(),
                                            std::memory_order_relaxed);
      st.running.clear();
      st.deadlines.clear();
      st.queued.clear();
      self->quit();
    },
  };
}

} // namespace stagehand
