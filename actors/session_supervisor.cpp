#include "actors/session_supervisor.hpp"

#include <algorithm>

#include "actors/child_session.hpp"
#include "actors/sender_check.hpp"
#include "core/errc.hpp"
#include "services/node_table.hpp"
#include "services/work_placement.hpp"

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

void log_event(const state& st, const background_task& task, const char* event);

void start(self_ptr self, state::entry e) {
  auto& st = self->state;
  auto& task = e.task;
  state::task_key key{task.page, task.id};
  auto where = place_work(*st.svc, task.codeunit);
  if (!where) {
    // No live node has the codeunit (any more): the task fails at once.
    log_event(st, task, "placement_failed");
    self->send(e.page, task_finished{
                         task.id, task.record_epoch,
                         task_outcome::failed({codeunit_error_code,
                                               describe(where.error()), ""})});
    return;
  }
  e.where = std::move(*where);
  if (e.where.local()) {
    e.child = self->spawn(child_session, task, self, st.svc);
  } else {
    // CAF 0.17 kills a node's proxies when its connection goes, so the
    // monitor is how a lost worker shows here.
    if (st.watched.insert(e.where.agent.address()).second)
      self->monitor(e.where.agent);
    self->send(e.where.agent, run_remote_task{task, self});
  }
  self->send(e.page, task_started{task.id, e.where.node});
  st.svc->stats->active_child_sessions.fetch_add(1, std::memory_order_relaxed);
  st.running.emplace(key, std::move(e));
}

/// Tells whoever runs the task that its outcome is no longer wanted.
void stop_runner(self_ptr self, const state::entry& e) {
  if (e.where.local())
    self->send(e.child, cancel_atom::value);
  else
    self->send(e.where.agent, cancel_remote_task{e.task.page, e.task.id, self});
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
  if (st.svc->nodes)
    st.svc->nodes->release(e.where);
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

/// How far the cancel of a task on a worker got.
void log_cancel(const state& st, const state::entry& e, cancel_state how) {
  st.svc->log->info("session_type=ChildSession session_id={} page_id={} "
                    "task_id={} node={} event=cancel cancel_state={}",
                    st.session, e.task.page, e.task.id, e.where.node,
                    to_string(how));
}

/// Stops what runs a task whose outcome is no longer wanted (cancelled, or
/// timed out). A local child stops at once and its slot is free. A task on a
/// worker keeps its slot until the worker acknowledges the cancel, or until
/// `cancel-ack-timeout` passes: the slot stands for a thread that may still
/// be busy there.
void cancel_running(self_ptr self, const state::task_key& key,
                    bool page_waits) {
  auto& st = self->state;
  auto& stats = *st.svc->stats;
  auto& e = st.running.at(key);
  if (e.where.local()) {
    stop_runner(self, *release(self, key));
    stats.cancels_acknowledged.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  stop_runner(self, e);
  stats.cancels_requested.fetch_add(1, std::memory_order_relaxed);
  log_cancel(st, e, cancel_state::requested);
  e.cancelling = state::entry::remote_cancel{page_waits};
  if (e.deadline)
    st.deadlines.erase(*e.deadline);
  auto due = self->clock().now() + st.svc->limits.cancel_ack_timeout;
  e.deadline = st.deadlines.emplace(due, key);
  wake_up_by(self, due);
}

/// Frees the slot of a task on a worker whose cancel the worker
/// acknowledged, or that waited too long for it (`forced`), and tells the
/// page if it holds the task's cancelled event until then.
void end_cancel(self_ptr self, const state::task_key& key, cancel_state how) {
  auto& st = self->state;
  auto e = release(self, key);
  auto& counter = how == cancel_state::acknowledged
                    ? st.svc->stats->cancels_acknowledged
                    : st.svc->stats->cancels_forced;
  counter.fetch_add(1, std::memory_order_relaxed);
  log_cancel(st, *e, how);
  if (e->cancelling->page_waits)
    self->send(e->page, task_cancel_settled{e->task.id, how});
}

/// A result that lost the race against its timeout or cancel.
void log_dropped(const state& st, const child_finished& msg) {
  st.svc->log->debug("session_type=ChildSession session_id={} page_id={} "
                     "task_id={} event=late_result_dropped",
                     st.session, msg.page, msg.id);
}

/// The running entry that a report about `key` is for, if what runs it sent
/// it: its child session, or the agent of the worker it was placed on. A
/// report from anyone else is refused and logged; one for a task that no
/// longer runs (timed out, cancelled) finds nothing.
state::entry* report_target(self_ptr self, const state::task_key& key,
                            const char* message) {
  auto i = self->state.running.find(key);
  if (i == self->state.running.end())
    return nullptr;
  auto& e = i->second;
  auto& svc = *self->state.svc;
  bool ok = e.where.local() ? accept_from(self, e.child, svc, message)
                            : accept_from(self, e.where.agent, svc, message);
  if (ok && !e.where.local() && svc.nodes)
    svc.nodes->heard(e.where.agent.address());
  return ok ? &e : nullptr;
}

/// A worker's agent is gone: CAF lost its node. Every task running there
/// fails with `ChildSessionNodeLost`, and the node gets no more work.
void node_lost(self_ptr self, const caf::actor_addr& agent) {
  auto& st = self->state;
  st.watched.erase(agent);
  std::vector<state::task_key> lost;
  for (auto& [key, e] : st.running)
    if (!e.where.local() && e.where.agent.address() == agent)
      lost.push_back(key);
  if (st.svc->nodes)
    st.svc->nodes->mark_lost(agent);
  for (auto& key : lost) {
    if (st.running.at(key).cancelling) {
      // Its outcome is decided; only the worker's answer is lost.
      end_cancel(self, key, cancel_state::forced);
      continue;
    }
    auto e = release(self, key);
    log_event(st, e->task, "node_lost");
    self->send(e->page, task_finished{e->task.id, e->task.record_epoch,
                                      task_outcome::failed(
                                        task_error::node_lost(e->where.node))});
  }
  start_queued(self);
}

} // namespace

session_supervisor_actor::behavior_type
session_supervisor(self_ptr self, session_id session, services_ptr svc) {
  self->state.session = session;
  self->state.svc = std::move(svc);
  // System messages pass no face: take a down message only about an agent
  // it watches and from that agent's proxy, and an exit only from this node.
  self->set_down_handler([self](caf::down_msg& msg) {
    auto& sender = self->current_sender();
    if (self->state.watched.count(msg.source) > 0 && sender != nullptr
        && sender->address() == msg.source)
      node_lost(self, msg.source);
  });
  self->set_exit_handler([self](caf::exit_msg& msg) {
    if (sent_from_this_node(self) && msg.reason)
      self->quit(msg.reason);
  });
  return {
    [self](submit_task& msg) {
      auto& st = self->state;
      // From the page it names, in this process, for this session: a
      // worker holds the supervisor's handle (it reports here) and must not
      // submit work of its own.
      if (!accept_local(self, *st.svc, "submit_task")
          || !accept_from(self, msg.page, *st.svc, "submit_task")
          || msg.task.session != st.session
          || st.running.count({msg.task.page, msg.task.id}) > 0)
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
        if (auto i = st.running.find({msg.page, id}); i != st.running.end()) {
          if (!i->second.cancelling)
            cancel_running(self, i->first, true);
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
      e->deadline
        = st.deadlines.emplace(due, state::task_key{msg.page, msg.id});
      wake_up_by(self, due);
    },
    [self](child_finished& msg) {
      state::task_key key{msg.page, msg.id};
      if (self->state.running.count(key) == 0) {
        // Timed out or cancelled before this result arrived: drop it.
        log_dropped(self->state, msg);
        return;
      }
      auto target = report_target(self, key, "child_finished");
      if (target == nullptr)
        return;
      if (target->cancelling) {
        // Cancelled while it ran on a worker: the cancel decided.
        log_dropped(self->state, msg);
        return;
      }
      auto e = release(self, key);
      self->send(e->page, task_finished{msg.id, e->task.record_epoch,
                                        std::move(msg.outcome)});
      start_queued(self);
    },
    [self](cancel_acknowledged& msg) {
      state::task_key key{msg.page, msg.id};
      auto e = report_target(self, key, "cancel_acknowledged");
      if (e == nullptr || !e->cancelling)
        return; // forced already, or never cancelled
      end_cancel(self, key, cancel_state::acknowledged);
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
        auto key = st.deadlines.begin()->second;
        auto& e = st.running.at(key);
        if (e.cancelling) {
          end_cancel(self, key, cancel_state::forced);
          continue;
        }
        log_event(st, e.task, "timed_out");
        self->send(e.page, task_finished{e.task.id, e.task.record_epoch,
                                         task_outcome::timed_out()});
        cancel_running(self, key, false);
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
      for (auto& [key, e] : st.running) {
        stop_runner(self, e);
        if (st.svc->nodes)
          st.svc->nodes->release(e.where);
      }
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
