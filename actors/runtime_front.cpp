#include "actors/runtime_front.hpp"

#include <chrono>
#include <memory>
#include <utility>
#include <vector>

#include <caf/send.hpp>

#include "actors/page.hpp"
#include "actors/parent_session.hpp"
#include "runtime/errc.hpp"
#include "runtime/guid.hpp"
#include "runtime/session_event_log.hpp"

namespace stagehand {

namespace {

using self_ptr = runtime_actor::stateful_pointer<runtime_front_state>;

/// Runs `work` on the blocking executor, then `then` with its error on this
/// actor. The job holds only a weak handle: the services own the executor,
/// and so its queued jobs.
void run_blocking(self_ptr self, std::function<caf::error()> work,
                  std::function<void(caf::error)> then) {
  auto& st = self->state;
  auto job = st.next_job++;
  st.jobs.emplace(job, std::move(then));
  auto me = caf::actor_cast<caf::weak_actor_ptr>(self);
  st.svc->executor->post([me, job, work = std::move(work)] {
    auto err = work();
    if (auto alive = me.lock())
      caf::anon_send(caf::actor_cast<runtime_actor>(alive),
                     blocking_done{job, std::move(err)});
  });
}

session_event logon_or_off(const session_handle& session,
                           session_event::kind what) {
  return {session.id,       what,         std::chrono::system_clock::now(),
          session.client,   session.user, {},
          session.unique_id};
}

/// Spawns the session's actors and lists it as open.
session_handle admit(self_ptr self, session_handle session) {
  auto& st = self->state;
  auto spawned
    = spawn_session(self->system(), st.svc, session.id, session.client);
  session.actor = std::move(spawned.actor);
  session.supervisor = std::move(spawned.supervisor);
  st.svc->registry->add(session.id, session.client, session.user,
                        session.company, session.unique_id);
  st.sessions.emplace(session.id, session);
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
    return admit(self, std::move(session));
  // `OpenCompany` reads the file: on the executor, before any actor exists.
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
      record_session_event(*companies, session.company,
                           logon_or_off(session, session_event::kind::logon),
                           *log);
      log->info("session_id={} company=\"{}\" path=\"{}\" "
                "event=company_opened",
                session.id, session.company, (*opened)->path());
      return {};
    },
    [self, rp, session](caf::error err) mutable {
      if (err)
        rp.deliver(std::move(err));
      else
        rp.deliver(admit(self, std::move(session)));
    });
  return rp;
}

/// Closes an open session: Logoff first if its Logon was recorded, then its
/// pages and supervisor. `done` hears how it went.
void close(self_ptr self, session_id id, std::function<void(caf::error)> done) {
  auto& st = self->state;
  auto i = st.sessions.find(id);
  if (i == st.sessions.end()) {
    done(make_error(errc::session_closed));
    return;
  }
  auto session = std::move(i->second);
  st.sessions.erase(i);
  auto close_actors = [self, session, done](caf::error) {
    self->state.svc->registry->remove(session.id);
    self->request(session.actor, caf::infinite, close_session{})
      .then(
        [done] {
          done({});
        },
        [done](caf::error&) {
          done(make_error(errc::session_closed));
        });
  };
  if (!session.records_events) {
    close_actors({});
    return;
  }
  auto companies = st.svc->companies;
  auto log = st.svc->log;
  run_blocking(
    self,
    [companies, log, session]() -> caf::error {
      record_session_event(*companies, session.company,
                           logon_or_off(session, session_event::kind::logoff),
                           *log);
      return {};
    },
    close_actors);
}

/// Closes every open session, then answers the shutdown and quits: a
/// published runtime actor stays referenced by CAF 0.17's middleman, and the
/// actor system would wait for it for ever.
void close_all(self_ptr self, caf::typed_response_promise<std::uint64_t> rp,
               std::uint64_t stopped) {
  auto finish = [self, rp, stopped]() mutable {
    rp.deliver(stopped);
    self->quit();
  };
  auto& sessions = self->state.sessions;
  if (sessions.empty()) {
    finish();
    return;
  }
  auto left = std::make_shared<std::size_t>(sessions.size());
  std::vector<session_id> ids;
  for (auto& entry : sessions)
    ids.push_back(entry.first);
  for (auto id : ids)
    close(self, id, [left, finish](caf::error) mutable {
      if (--*left == 0)
        finish();
    });
}

} // namespace

runtime_actor::behavior_type
runtime_front(runtime_actor::stateful_pointer<runtime_front_state> self,
              services_ptr svc, background_session_manager_actor manager) {
  self->state.svc = std::move(svc);
  self->state.manager = std::move(manager);
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
      return spawn_page(
        self->system(), st.svc, i->second,
        st.svc->next_session_id->fetch_add(1), std::move(req.record_id),
        std::make_shared<page_triggers>(), std::move(req.subscriber));
    },
    [self](start_session& req) {
      return self->delegate(self->state.manager, std::move(req));
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
      st.shutting_down = true;
      auto rp = self->make_response_promise<std::uint64_t>();
      self->request(st.manager, caf::infinite, shutdown_atom::value)
        .then(
          [self, rp](std::uint64_t stopped) {
            close_all(self, rp, stopped);
          },
          // A manager that is gone has no sessions left to stop.
          [self, rp](caf::error&) {
            close_all(self, rp, 0);
          });
      return rp;
    },
    [self](blocking_done& msg) {
      auto& jobs = self->state.jobs;
      auto i = jobs.find(msg.job);
      if (i == jobs.end())
        return;
      auto then = std::move(i->second);
      jobs.erase(i);
      then(std::move(msg.error));
    },
  };
}

} // namespace stagehand
