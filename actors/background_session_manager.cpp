#include "actors/background_session_manager.hpp"

#include <algorithm>

#include <caf/send.hpp>

#include "messages/default_identity.hpp"
#include "messages/session_ended.hpp"
#include "actors/sender_check.hpp"
#include "core/errc.hpp"
#include "core/guid.hpp"
#include "data/session_event_log.hpp"
#include "actors/background_session_runner.hpp"
#include "actors/session_event_purge.hpp"
#include "services/node_table.hpp"
#include "services/work_placement.hpp"

namespace stagehand {

namespace {

using state = background_session_manager_state;
using self_ptr = background_session_manager_actor::stateful_pointer<state>;

void log_event(const state& st, session_id id, const state::entry& e,
               const char* event, const std::string& detail = {},
               spdlog::level::level_enum level = spdlog::level::debug) {
  st.svc->log->log(level,
                   "session_type=Background session_id={} codeunit={} "
                   "company=\"{}\" user=\"{}\" tag={} event={} detail=\"{}\"",
                   id, e.request.codeunit, e.request.company, e.user,
                   e.request.tag, event, detail);
}

void start_queued(self_ptr self);

/// Ends a session with `outcome`: frees its slot unless `slot_held` (until
/// its worker acknowledges its stop), answers its subscribers and remembers
/// the outcome.
void settle(self_ptr self, session_id id, session_outcome outcome,
            bool slot_held = false) {
  auto& st = self->state;
  auto i = st.sessions.find(id);
  if (i == st.sessions.end())
    return;
  auto e = std::move(i->second);
  st.sessions.erase(i);
  auto& stats = *st.svc->stats;
  if (e.running) {
    stats.active_background_sessions.fetch_sub(1, std::memory_order_relaxed);
    st.svc->registry->remove(id);
    if (slot_held)
      st.stopping.emplace(id, e.where);
    else
      free_slot(st, e.where);
  } else {
    st.queue.erase(std::find(st.queue.begin(), st.queue.end(), id));
    stats.queued_background_sessions.fetch_sub(1, std::memory_order_relaxed);
  }
  // Completing is routine (the Session Event rows record it); the other
  // outcomes are worth a line at info.
  log_event(st, id, e, "ended",
            to_string(outcome.what)
              + (outcome.comment.empty() ? "" : ": " + outcome.comment),
            outcome.what == session_outcome::kind::completed
              ? spdlog::level::debug
              : spdlog::level::info);
  // The observer first: whoever hears the outcome may look at what the
  // observer recorded.
  // `tell` logs what the observer throws: ending the manager would leave
  // every waiter without an answer.
  tell(st.svc->session_events,
       {session_notice::kind::ended, id, e.request.tag, outcome, {},
        e.request.codeunit, e.user, e.request.company},
       *st.svc->log);
  // Left only if it ends without having launched.
  for (auto& rp : e.launch_waiters)
    rp.deliver(false);
  for (auto& rp : e.waiters)
    rp.deliver(outcome);
  if (e.request.subscriber)
    self->send(e.request.subscriber, session_ended{id, outcome});
  st.ended.emplace(id, std::move(outcome));
  st.ended_order.push_back(id);
  if (st.ended_order.size() > recent_outcomes) {
    st.ended.erase(st.ended_order.front());
    st.ended_order.pop_front();
  }
  if (st.shutting_down && st.sessions.empty())
    self->quit();
  else
    start_queued(self);
}

/// Counts the session as running before its caller uncounts it as queued,
/// so that `runtime::wait_idle`, which reads the queued count first, never
/// sees both at zero while it moves. A session whose codeunit no live node
/// has any more (its worker was lost while it queued) fails at once.
void launch(self_ptr self, session_id id, state::entry& e) {
  auto& st = self->state;
  ++st.running;
  e.running = true;
  st.svc->stats->active_background_sessions.fetch_add(1);
  e.unique_id = make_guid();
  st.svc->registry->add(id, client_type::background, e.user, e.request.company,
                        e.unique_id);
  auto where = place_work(*st.svc, e.request.codeunit);
  if (!where) {
    log_event(st, id, e, "placement_failed", describe(where.error()),
              spdlog::level::info);
    settle(self, id,
           session_outcome::failed(
             {codeunit_error_code, describe(where.error()), ""}));
    return;
  }
  e.where = std::move(*where);
  // The timeout counts from the launch, and ends no later than the budget
  // its caller passed on, however long it queued.
  auto now = self->clock().now();
  e.deadline = now + e.request.timeout;
  if (e.caller_deadline && *e.caller_deadline < e.deadline) {
    e.deadline = std::max(*e.caller_deadline, now);
    e.request.timeout = e.deadline - now;
  }
  start_runner(self, id, e);
  self->delayed_send(self, e.request.timeout, session_timeout{id});
  log_event(st, id, e, "started", e.where.node);
  for (auto& rp : e.launch_waiters)
    rp.deliver(true);
  e.launch_waiters.clear();
  tell(st.svc->session_events,
       {session_notice::kind::started, id, e.request.tag, {}, {},
        e.request.codeunit, e.user, e.request.company},
       *st.svc->log);
}

void start_queued(self_ptr self) {
  auto& st = self->state;
  if (st.shutting_down)
    return;
  auto limit = st.svc->sessions.max_concurrent;
  while (!st.queue.empty() && (limit == 0 || st.running < limit)) {
    auto id = st.queue.front();
    st.queue.pop_front();
    launch(self, id, st.sessions.at(id));
    st.svc->stats->queued_background_sessions.fetch_sub(1);
  }
}

/// Ends a session that has not ended with `outcome`, stopped or timed out,
/// whose comment says why: a queued one never runs, a running one is
/// cancelled unless its worker is already committing.
/// @returns false if the worker won the race and the session completes.
bool stop(self_ptr self, session_id id, session_outcome outcome) {
  auto& st = self->state;
  auto& e = st.sessions.at(id);
  auto& comment = outcome.comment;
  if (!e.token->cancel(comment))
    return false;
  // A running session's worker wakes on the token, rolls back and records
  // its Stop event itself. On a worker node the manager cannot see the
  // commit race, so it decides here: the session is stopped, and a report
  // that the worker sends anyway is dropped and logged.
  bool slot_held = false;
  if (e.running)
    slot_held = stop_runner(self, id, e, comment);
  else // Never started, so no worker will write its Stop event.
    record_later(st, id, e, session_event::kind::stop, comment);
  settle(self, id, std::move(outcome), slot_held);
  return true;
}

/// A worker's agent is gone: CAF lost its node. Every session running there
/// fails with the node-lost error, which its Close event records here, since
/// the worker that recorded its Start can no longer record anything.
void node_lost(self_ptr self, const caf::actor_addr& agent) {
  auto& st = self->state;
  st.watched.erase(agent);
  if (st.svc->nodes)
    st.svc->nodes->mark_lost(agent);
  std::vector<session_id> lost;
  for (auto& [id, e] : st.sessions)
    if (e.running && !e.where.local() && e.where.agent.address() == agent)
      lost.push_back(id);
  for (auto id : lost) {
    auto& e = st.sessions.at(id);
    if (!e.token->cancel())
      continue;
    auto error = task_error::node_lost(e.where.node);
    record_later(st, id, e, session_event::kind::close, error.text);
    settle(self, id, session_outcome::failed(std::move(error)));
  }
  // Stops it will never acknowledge now.
  std::vector<session_id> unanswered;
  for (auto& [id, where] : st.stopping)
    if (where.agent.address() == agent)
      unanswered.push_back(id);
  for (auto id : unanswered)
    end_stop(self, id, cancel_state::forced);
  start_queued(self);
}

} // namespace

background_session_manager_actor::behavior_type
background_session_manager(self_ptr self, services_ptr svc) {
  self->state.svc = std::move(svc);
  self->delayed_send(self, self->state.svc->sessions.purge_interval,
                     purge_atom::value);
  // System messages pass no face: take a down message only about an agent
  // it watches and from that agent's proxy.
  self->set_down_handler([self](caf::down_msg& msg) {
    auto& sender = self->current_sender();
    if (self->state.watched.count(msg.source) > 0 && sender != nullptr
        && sender->address() == msg.source)
      node_lost(self, msg.source);
  });
  return {
    [self](launch_session& msg) -> caf::result<session_id> {
      auto& st = self->state;
      if (!accept_local(self, *st.svc, "launch_session"))
        return make_error(errc::not_permitted,
                          caf::make_message(std::string{"launch_session"}));
      auto& req = msg.request;
      auto& limits = st.svc->sessions;
      if (st.shutting_down)
        return make_error(errc::shutting_down);
      if (!can_place_work(*st.svc, req.codeunit))
        return make_error(errc::unknown_codeunit,
                          caf::make_message(req.codeunit));
      if (req.timeout.count() < 0)
        return make_error(
          errc::negative_timeout,
          caf::make_message(static_cast<std::int64_t>(
            std::chrono::duration_cast<std::chrono::milliseconds>(req.timeout)
              .count())));
      session_id origin = req.caller;
      std::size_t depth = 1;
      if (auto caller = st.sessions.find(req.caller);
          caller != st.sessions.end()) {
        origin = caller->second.origin;
        depth = caller->second.depth + 1;
        if (depth > limits.max_recursion_depth)
          return make_error(errc::session_recursion,
                            caf::make_message(std::uint64_t{origin},
                                              std::uint64_t{req.caller}));
      }
      bool runs_now
        = limits.max_concurrent == 0 || st.running < limits.max_concurrent;
      if (!runs_now && limits.max_queued != 0
          && st.queue.size() >= limits.max_queued)
        return make_error(errc::session_queue_full,
                          caf::make_message(std::uint64_t{st.queue.size()}));
      std::optional<caf::actor_clock::time_point> caller_deadline;
      if (req.timeout.count() == 0) {
        req.timeout = limits.default_timeout;
        if (req.budget.count() > 0)
          caller_deadline = self->clock().now() + req.budget;
      }
      // The runtime actor fills in a calling session's user and company;
      // these are for no caller (and an operation's, which names a user).
      if (msg.user.empty())
        msg.user = default_user;
      if (req.company.empty())
        req.company = default_company;
      auto id = st.svc->next_session_id->fetch_add(1);
      if (origin == 0)
        origin = id;
      auto& e = st.sessions[id];
      e.request = std::move(req);
      e.user = std::move(msg.user);
      e.origin = origin;
      e.depth = depth;
      e.caller_deadline = caller_deadline;
      e.token = std::make_shared<cancellation_token>();
      if (runs_now) {
        launch(self, id, e);
      } else {
        st.queue.push_back(id);
        st.svc->stats->queued_background_sessions.fetch_add(
          1, std::memory_order_relaxed);
        log_event(st, id, e, "queued");
        tell(st.svc->session_events,
             {session_notice::kind::queued, id, e.request.tag, {}, {},
              e.request.codeunit, e.user, e.request.company},
             *st.svc->log);
      }
      return id;
    },
    [self](stop_session& req) -> caf::result<bool> {
      auto& st = self->state;
      if (req.caller != 0 && req.caller == req.id)
        return make_error(errc::cannot_stop_self,
                          caf::make_message(std::uint64_t{req.id}));
      if (st.sessions.count(req.id) == 0)
        return false;
      return stop(self, req.id,
                  session_outcome::stopped(std::move(req.comment)));
    },
    [self](is_active_atom, session_id id) {
      return self->state.sessions.count(id) > 0;
    },
    [self](outcome_atom, session_id id) -> caf::result<session_outcome> {
      auto& st = self->state;
      if (auto i = st.sessions.find(id); i != st.sessions.end()) {
        auto rp = self->make_response_promise<session_outcome>();
        i->second.waiters.push_back(rp);
        return rp;
      }
      if (auto i = st.ended.find(id); i != st.ended.end())
        return i->second;
      return make_error(errc::unknown_session,
                        caf::make_message(std::uint64_t{id}));
    },
    [self](started_atom, session_id id) -> caf::result<bool> {
      auto& st = self->state;
      if (auto i = st.sessions.find(id); i != st.sessions.end()) {
        if (i->second.running)
          return true;
        auto rp = self->make_response_promise<bool>();
        i->second.launch_waiters.push_back(rp);
        return rp;
      }
      // Ended: completed, failed and timed-out sessions ran; a stopped one
      // may have been stopped in the queue, and counts as not launched.
      if (auto i = st.ended.find(id); i != st.ended.end())
        return i->second.what != session_outcome::kind::stopped;
      return make_error(errc::unknown_session,
                        caf::make_message(std::uint64_t{id}));
    },
    [self](session_finished& msg) {
      auto& st = self->state;
      auto i = st.sessions.find(msg.id);
      if (i == st.sessions.end() || !i->second.running) {
        // A stop or the timeout already settled the session.
        st.svc->log->debug("session_type=Background session_id={} "
                           "event=late_result_dropped outcome={}",
                           msg.id, to_string(msg.outcome.what));
        return;
      }
      if (from_runner(self, i->second.where, "session_finished"))
        settle(self, msg.id, std::move(msg.outcome));
    },
    [self](session_stop_acknowledged& msg) {
      auto& st = self->state;
      auto i = st.stopping.find(msg.id);
      // Not waiting: forced already, or never stopped there.
      if (i == st.stopping.end()
          || !from_runner(self, i->second, "session_stop_acknowledged"))
        return;
      end_stop(self, msg.id, cancel_state::acknowledged);
      start_queued(self);
    },
    [self](stop_ack_timeout& msg) {
      auto& st = self->state;
      if (!accept_from(self, self, *st.svc, "stop_ack_timeout"))
        return;
      if (end_stop(self, msg.id, cancel_state::forced))
        start_queued(self);
    },
    [self](session_timeout& msg) {
      auto& st = self->state;
      if (!accept_from(self, self, *st.svc, "session_timeout"))
        return;
      auto i = st.sessions.find(msg.id);
      if (i == st.sessions.end() || !i->second.running)
        return;
      stop(self, msg.id, session_outcome::timed_out(i->second.request.timeout));
    },
    [self](purge_atom) {
      auto& st = self->state;
      if (!accept_from(self, self, *st.svc, "purge"))
        return;
      purge_session_events_later(*st.svc);
      self->delayed_send(self, st.svc->sessions.purge_interval,
                         purge_atom::value);
    },
    [self](load_atom) {
      auto& st = self->state;
      return std::make_tuple(std::uint64_t{st.running},
                             std::uint64_t{st.queue.size()});
    },
    [self](shutdown_atom) -> caf::result<std::uint64_t> {
      auto& st = self->state;
      if (!accept_local(self, *st.svc, "shutdown"))
        return make_error(errc::not_permitted,
                          caf::make_message(std::string{"shutdown"}));
      st.shutting_down = true;
      std::vector<session_id> ids;
      for (auto& [id, e] : st.sessions)
        ids.push_back(id);
      std::uint64_t stopped = 0;
      for (auto id : ids)
        if (st.sessions.count(id) > 0
            && stop(self, id, session_outcome::stopped("server shutdown")))
          ++stopped;
      // A session whose worker had claimed its commit stays until its worker
      // reports, so that its subscribers hear the real outcome; the last one
      // to settle ends the manager.
      if (st.sessions.empty())
        self->quit();
      return stopped;
    },
  };
}

} // namespace stagehand
