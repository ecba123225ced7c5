#include "actors/runtime_front.hpp"

#include <chrono>
#include <memory>
#include <utility>

#include <caf/send.hpp>

#include "actors/page.hpp"
#include "actors/sender_check.hpp"
#include "core/errc.hpp"
#include "core/guid.hpp"
#include "data/session_event_log.hpp"

namespace stagehand {

namespace {

using self_ptr = runtime_front_actor::stateful_pointer<runtime_front_state>;

// -- file steps ---------------------------------------------------------------

/// Runs `work` on `session_io`, then `then` with its error on this actor. The
/// job holds only a weak handle: the services own the executor, and so its
/// queued jobs.
void run_blocking(self_ptr self, std::function<caf::error()> work,
                  std::function<void(caf::error)> then) {
  auto& st = self->state;
  auto job = st.next_job++;
  st.jobs.emplace(job, std::move(then));
  auto me = caf::actor_cast<caf::weak_actor_ptr>(self);
  st.svc->session_io->post([me, job, work = std::move(work)] {
    auto err = work();
    // Sent as the actor itself, which takes this report from no one else.
    if (auto alive = me.lock()) {
      auto front = caf::actor_cast<runtime_front_actor>(alive);
      caf::send_as(front, front, blocking_done{job, std::move(err)});
    }
  });
}

/// Records `session`'s Logon or Logoff row.
void record(self_ptr self, const session_handle& session,
            session_event::kind what, std::function<void(caf::error)> then) {
  auto companies = self->state.svc->companies;
  auto log = self->state.svc->log;
  session_event ev{
    session.id,       what,         std::chrono::system_clock::now(),
    session.client,   session.user, {},
    session.unique_id};
  run_blocking(
    self,
    [companies, log, company = session.company, ev]() -> caf::error {
      record_session_event(*companies, company, ev, *log);
      return {};
    },
    std::move(then));
}

// -- shutdown -----------------------------------------------------------------

/// Answers every shutdown and quits once nothing is left: no session, no
/// close under way, no file step outstanding. A published runtime actor stays
/// referenced by CAF 0.17's middleman, so only quitting lets the actor system
/// end.
void finish_shutdown_if_done(self_ptr self) {
  auto& st = self->state;
  if (!st.shutting_down || !st.manager_stopped || !st.sessions.empty()
      || st.closing > 0 || !st.jobs.empty())
    return;
  for (auto& rp : st.shutdown_waiters)
    rp.deliver(st.stopped);
  st.shutdown_waiters.clear();
  self->quit();
}

// -- sessions -----------------------------------------------------------------

/// Closes an open session: its pages close and cancel their tasks first, so
/// that nothing waits behind them; then its Logoff is recorded if its Logon
/// was. `done` hears how it went.
void close(self_ptr self, session_id id, std::function<void(caf::error)> done) {
  auto& st = self->state;
  auto i = st.sessions.find(id);
  if (i == st.sessions.end()) {
    done(make_error(errc::session_closed));
    return;
  }
  auto session = std::move(i->second.handle);
  st.sessions.erase(i);
  st.owners.erase(id);
  ++st.closing;
  st.svc->registry->remove(id);
  auto finish = [self, done](caf::error err) {
    --self->state.closing;
    done(std::move(err));
    finish_shutdown_if_done(self);
  };
  auto logoff = [self, session, finish](caf::error err) {
    if (!session.records_events) {
      finish(std::move(err));
      return;
    }
    record(self, session, session_event::kind::logoff,
           [finish, err](caf::error) {
             finish(err);
           });
  };
  self->request(session.actor, caf::infinite, close_session{})
    .then(
      [logoff] {
        logoff({});
      },
      [logoff](caf::error&) {
        logoff(make_error(errc::session_closed));
      });
}

/// Spawns the session's actors and lists it as open, under its owner if any.
session_handle admit(self_ptr self, session_handle session,
                     const caf::actor_addr& owner) {
  auto& st = self->state;
  auto spawned
    = spawn_session(self->system(), st.svc, session.id, session.client);
  session.actor = std::move(spawned.handle.actor);
  st.svc->registry->add(session.id, session.client, session.user,
                        session.company, session.unique_id);
  st.sessions.emplace(session.id,
                      session_actors{session, std::move(spawned.supervisor)});
  if (owner) {
    st.owners.emplace(session.id, owner);
    self->monitor(owner);
  }
  return session;
}

caf::result<session_handle> open(self_ptr self, open_session& req) {
  auto& st = self->state;
  if (st.shutting_down)
    return make_error(errc::shutting_down);
  session_handle session;
  session.id = st.svc->next_session_id->fetch_add(1);
  session.client = req.client;
  session.user = std::move(req.user);
  session.unique_id = make_guid();
  if (req.company.empty())
    return admit(self, std::move(session), req.owner);
  // `OpenCompany` reads the file, before any actor exists.
  session.company = std::move(req.company);
  session.records_events = true;
  auto rp = self->make_response_promise<session_handle>();
  auto companies = st.svc->companies;
  auto log = st.svc->log;
  run_blocking(
    self,
    [companies, log, session]() -> caf::error {
      auto opened = companies->open(session.company);
      if (!opened) {
        log->warn("company=\"{}\" event=open_failed reason=\"{}\"",
                  session.company, describe(opened.error()));
        return opened.error();
      }
      log->info("session_id={} company=\"{}\" path=\"{}\" "
                "event=company_opened",
                session.id, session.company, (*opened)->path());
      return {};
    },
    [self, rp, session, owner = req.owner](caf::error err) mutable {
      if (err) {
        rp.deliver(std::move(err));
        return;
      }
      auto admitted = admit(self, std::move(session), owner);
      record(self, admitted, session_event::kind::logon,
             [self, rp, admitted](caf::error) mutable {
               // A shutdown that began meanwhile closes it again at once,
               // Logoff and all.
               if (!self->state.shutting_down) {
                 rp.deliver(admitted);
                 return;
               }
               close(self, admitted.id, [rp](caf::error) mutable {
                 rp.deliver(make_error(errc::shutting_down));
               });
             });
    });
  return rp;
}

// -- background sessions ------------------------------------------------------

/// Decides whom a started session runs as: the calling session's user, in its
/// company unless the request names another. The message itself names no
/// user; from outside any session the manager's defaults apply.
caf::expected<launch_session> resolve_caller(const services& svc,
                                             start_session req) {
  launch_session resolved;
  if (req.caller != 0) {
    auto caller = svc.registry->find(req.caller);
    if (!caller)
      return make_error(errc::unknown_session,
                        caf::make_message(std::uint64_t{req.caller}));
    resolved.user = caller->user_id;
    if (req.company.empty())
      req.company = caller->database_name;
  }
  resolved.request = std::move(req);
  return resolved;
}

/// Asks the manager to start the session. A request, not a delegation: the
/// manager takes `launch_session` only from actors of this process, and a
/// delegation would carry the original, possibly remote, sender.
caf::result<session_id> launch(self_ptr self, launch_session req) {
  auto rp = self->make_response_promise<session_id>();
  self->request(self->state.manager, caf::infinite, std::move(req))
    .then([rp](session_id id) mutable { rp.deliver(id); },
          [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

} // namespace

runtime_front_actor::behavior_type
runtime_front(runtime_front_actor::stateful_pointer<runtime_front_state> self,
              services_ptr svc, background_session_manager_actor manager) {
  self->state.svc = std::move(svc);
  self->state.manager = std::move(manager);
  self->set_down_handler([self](caf::down_msg& msg) {
    // An owner is gone: its sessions close, as if it had closed them.
    std::vector<session_id> owned;
    for (auto& [id, owner] : self->state.owners)
      if (owner == msg.source)
        owned.push_back(id);
    for (auto id : owned) {
      self->state.svc->log->info("session_id={} event=owner_lost", id);
      close(self, id, [](caf::error) {});
    }
  });
  return {
    [self](open_session& req) -> caf::result<session_handle> {
      return open(self, req);
    },
    [self](close_atom, session_id id) -> caf::result<void> {
      auto rp = self->make_response_promise();
      close(self, id, [rp](caf::error err) mutable {
        if (err)
          rp.deliver(std::move(err));
        else
          rp.deliver(caf::unit);
      });
      return rp;
    },
    [self](open_page& req) -> caf::result<page_handle> {
      auto& st = self->state;
      auto i = st.sessions.find(req.session);
      if (i == st.sessions.end())
        return make_error(errc::unknown_session,
                          caf::make_message(std::uint64_t{req.session}));
      return spawn_page(self->system(), st.svc, i->second.handle,
                        i->second.supervisor,
                        st.svc->next_session_id->fetch_add(1),
                        std::move(req.record_id),
                        std::make_shared<page_triggers>(),
                        std::move(req.subscriber));
    },
    [self](start_session& req) -> caf::result<session_id> {
      auto resolved = resolve_caller(*self->state.svc, std::move(req));
      if (!resolved)
        return std::move(resolved.error());
      return launch(self, std::move(*resolved));
    },
    [self](launch_session& req) -> caf::result<session_id> {
      if (!accept_local(self, *self->state.svc, "launch_session"))
        return make_error(errc::not_permitted,
                          caf::make_message(std::string{"launch_session"}));
      return launch(self, std::move(req));
    },
    [self](supervisor_atom,
           session_id id) -> caf::result<session_supervisor_actor> {
      auto& st = self->state;
      if (!accept_local(self, *st.svc, "supervisor"))
        return make_error(errc::not_permitted,
                          caf::make_message(std::string{"supervisor"}));
      auto i = st.sessions.find(id);
      if (i == st.sessions.end())
        return make_error(errc::unknown_session,
                          caf::make_message(std::uint64_t{id}));
      return i->second.supervisor;
    },
    [self](stop_session& req) {
      return self->delegate(self->state.manager, std::move(req));
    },
    [self](is_active_atom what, session_id id) {
      return self->delegate(self->state.manager, what, id);
    },
    [self](outcome_atom what, session_id id) {
      return self->delegate(self->state.manager, what, id);
    },
    [self](started_atom what, session_id id) {
      return self->delegate(self->state.manager, what, id);
    },
    [self](shutdown_atom) -> caf::result<std::uint64_t> {
      auto& st = self->state;
      if (!accept_local(self, *st.svc, "shutdown"))
        return make_error(errc::not_permitted,
                          caf::make_message(std::string{"shutdown"}));
      auto rp = self->make_response_promise<std::uint64_t>();
      st.shutdown_waiters.push_back(rp);
      if (st.shutting_down)
        return rp; // answered with the first one
      st.shutting_down = true;
      auto close_all = [self](std::uint64_t stopped) {
        auto& st = self->state;
        st.manager_stopped = true;
        st.stopped = stopped;
        std::vector<session_id> ids;
        for (auto& entry : st.sessions)
          ids.push_back(entry.first);
        for (auto id : ids)
          close(self, id, [](caf::error) {});
        finish_shutdown_if_done(self);
      };
      self->request(st.manager, caf::infinite, shutdown_atom::value)
        .then(close_all,
              // A manager that is gone has no sessions left to stop.
              [close_all](caf::error&) {
                close_all(0);
              });
      return rp;
    },
    [self](blocking_done& msg) {
      if (!accept_from(self, self, *self->state.svc, "blocking_done"))
        return;
      auto& jobs = self->state.jobs;
      auto i = jobs.find(msg.job);
      if (i == jobs.end())
        return;
      auto then = std::move(i->second);
      jobs.erase(i);
      then(std::move(msg.error));
      finish_shutdown_if_done(self);
    },
  };
}

} // namespace stagehand
