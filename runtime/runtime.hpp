#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "messages/client_type.hpp"
#include "messages/default_identity.hpp"
#include "messages/dictionary.hpp"
#include "messages/enqueue_task.hpp"
#include "messages/page_actor.hpp"
#include "messages/page_handle.hpp"
#include "messages/runtime_actor.hpp"
#include "messages/runtime_front_actor.hpp"
#include "messages/session_handle.hpp"
#include "runtime/config.hpp"
#include "core/errc.hpp"
#include "core/metrics.hpp"
#include "services/page_event.hpp"
#include "services/page_triggers.hpp"
#include "services/services.hpp"
#include "data/session_event_log.hpp"
#include "core/thread_pool.hpp"

namespace stagehand {

class coordinator;

/// How long a `runtime` call waits for an actor that answers at once (start,
/// stop, close, cancel, ...) before it gives up with `no_answer`. Calls
/// whose answer waits for codeunits use `config::runtime_wait_timeout`.
inline constexpr caf::timespan runtime_reply_timeout = std::chrono::minutes(1);

/// The blocking embedding API: owns the actor system, the codeunit registry
/// and the blocking worker pool, and turns each call into a request to the
/// runtime actor (`actor()`) or a page, then waits. Every call blocks the
/// calling thread until the actor answers, so call it from the service's own
/// threads; an actor uses `actor()` instead. No call
/// waits for ever: past `runtime_reply_timeout`, or for calls that wait on
/// codeunits past `stagehand.runtime-wait-timeout`, it fails with
/// `no_answer`.
class runtime {
public:
  /// `cfg` must outlive the runtime. The observers, if any, see every page
  /// event (see `page_event`) and every background session event.
  explicit runtime(config& cfg, page_observer observer = {},
                   session_observer sessions = {});

  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  /// Stops every background session with the comment `server shutdown`,
  /// closes every open session, then lets the worker pool finish.
  ~runtime();

  // -- set-up -----------------------------------------------------------------

  codeunit_registry& codeunits() {
    return *svc_->codeunits;
  }

  caf::actor_system& system() {
    return system_;
  }

  const services_ptr& services() const {
    return svc_;
  }

  /// The same API as an actor, for a service's own actors: they `request`
  /// sessions, pages and background sessions of it and never block (see
  /// `runtime_actor`). Every call below is a thin wrapper that asks it, or
  /// the page it returned, and waits.
  runtime_actor actor() const {
    return front_;
  }

  // -- sessions and pages -----------------------------------------------------

  /// `OpenCompany` then a session on it, recording its Logon event; fails
  /// with `unknown_company` or `company_unreadable`, naming company and path,
  /// before any actor exists. Without a company, the session is on the
  /// default company, CRONUS, and opens no file: a session whose codeunits
  /// never touch the database needs none, and a child that does reports a
  /// missing company as its error.
  caf::expected<session_handle> open_session(client_type client
                                             = client_type::web_client,
                                             const std::string& company = {},
                                             std::string user = default_user);

  /// Runs `work` in the user's session with read-write access, on the calling
  /// thread (never an actor's); see `run_user_write`. Page triggers use
  /// `page_context::write` instead, which runs on the worker pool.
  caf::expected<void> write(const session_handle& session,
                            const std::function<void(database&)>& work);

  /// An administrator's read-write connection to `company`, created with its
  /// tables if missing, for seeding and changing data outside any page.
  caf::expected<std::unique_ptr<database>>
  open_admin_connection(const std::string& company);

  /// Records the Logoff event of a session opened on a company, once: a
  /// second close fails with `session_closed` and records nothing.
  caf::expected<void> close_session(const session_handle& session);

  page_handle open_page(const session_handle& session, std::string record_id,
                        std::shared_ptr<page_triggers> triggers
                        = std::make_shared<page_triggers>());

  caf::expected<void> close_page(const page_handle& page);

  /// Moves the page to another record: cancels its pending tasks and runs
  /// OnAfterGetCurrRecord. The same record again changes nothing.
  caf::expected<void> set_record(const page_handle& page,
                                 std::string record_id);

  // -- page background tasks --------------------------------------------------

  /// `EnqueueBackgroundTask`. In a web-service session it returns only after
  /// the task's completion or error trigger has run.
  caf::expected<task_id> enqueue_background_task(const page_handle& page,
                                                 enqueue_task request);

  /// `CancelBackgroundTask`: true only if the task was pending.
  caf::expected<bool> cancel_background_task(const page_handle& page,
                                             task_id id);

  /// `RunPageBackgroundTask`: runs the codeunit to completion and returns its
  /// results; the page's triggers run only if `run_completion_triggers`.
  caf::expected<dictionary>
  run_page_background_task(const page_handle& page, codeunit_id codeunit,
                           dictionary parameters = {},
                           bool run_completion_triggers = false);

  caf::expected<std::size_t> pending_background_tasks(const page_handle& page);

  /// Blocks until the page has no pending tasks (the part-page signal).
  caf::expected<void> wait_all_tasks_done(const page_handle& page);

  // -- background sessions (SPEC.md §2) ---------------------------------------

  /// `StartSession` as the session that `request.caller` names (0: from
  /// outside any session, as ADMIN). The session runs `request`'s codeunit
  /// read-write in its own transaction; it queues while
  /// BackgroundSessionsMaxConcurrent run.
  /// @returns its id, or `unknown_codeunit`, `unknown_session` (no such
  ///          caller), `negative_timeout`, `session_queue_full`,
  ///          `session_recursion` or `shutting_down`. An empty company is
  ///          the caller's, or CRONUS.
  caf::expected<session_id> start_session(stagehand::start_session request);

  /// `StartSession` from outside any session, as `user` (an operation's
  /// caller, say); empty is ADMIN.
  caf::expected<session_id> start_session_as(std::string user,
                                             stagehand::start_session request);

  /// `StartSession` from a client session: as its user, on its company
  /// unless `request` names another.
  caf::expected<session_id> start_session(const session_handle& caller,
                                          stagehand::start_session request);

  /// `StopSession`. A queued session never runs; a running one stops before
  /// its next database call or at once if it sleeps, and rolls back.
  /// @returns true if it was stopped; false if no such session is active, or
  ///          it was already committing (it then completes).
  caf::expected<bool> stop_session(session_id id, std::string comment = {});

  /// `StopSession` on behalf of `request.caller`, which may not stop itself
  /// (`cannot_stop_self`).
  caf::expected<bool> stop_session(stagehand::stop_session request);

  /// `IsSessionActive`: true while the session is queued or running.
  bool is_session_active(session_id id);

  /// Waits for a session's outcome; recently ended sessions answer at once.
  /// A session still running when the runtime shuts down ends stopped with
  /// the comment `server shutdown`.
  /// @returns `unknown_session` for an id never started or long forgotten,
  ///          `no_answer` past `stagehand.runtime-wait-timeout`.
  caf::expected<session_outcome> wait_session(session_id id);

  /// Calls `done` once with the session's outcome (or `unknown_session`,
  /// `shutting_down`, or `no_answer` past `stagehand.runtime-wait-timeout`),
  /// on an actor's thread: it must be quick and must not block.
  void
  on_session_outcome(session_id id,
                     std::function<void(caf::expected<session_outcome>)> done);

  /// Calls `done` once, on an actor's thread, when the session launches
  /// (true; at once if it runs), or ends without launching (false; a session
  /// that ended before the call answers false only if it was stopped), or
  /// with `unknown_session`, `shutting_down`, or `no_answer` past
  /// `stagehand.runtime-wait-timeout`.
  void on_session_started(session_id id,
                          std::function<void(caf::expected<bool>)> done);

  /// The Active Session table: client, web-service, background and child
  /// sessions open right now.
  std::vector<active_session> active_sessions() const {
    return svc_->registry->list();
  }

  /// The Session Event rows of `company`, oldest first; all sessions' when
  /// `session` is 0.
  caf::expected<std::vector<session_event>>
  session_events(const std::string& company, session_id session = 0);

  /// Purges `company`'s session events older than the retention period now,
  /// in bounded batches, as the hourly purge does.
  /// @returns the number of rows deleted.
  caf::expected<std::size_t> purge_session_events(const std::string& company);

  // -- the cluster (docs/cluster.md) -----------------------------------------

  /// Opens the door that workers join through, on `stagehand.cluster-address`
  /// and `port`; 0 picks a free port (what `play` uses). The runtime opens
  /// it by itself when `cluster-port` is set; this is for a runtime that
  /// decides later. Needs `config::enable_cluster()` before the runtime.
  /// @returns the bound port, or `cluster_unavailable` naming the cause (no
  ///          cluster modules, a non-loopback address without TLS, the
  ///          port in use, the door already open).
  caf::expected<std::uint16_t> listen_for_workers(std::uint16_t port = 0);

  /// The port the door is open on; if it is not, why (`cluster_unavailable`),
  /// including the error that kept `cluster-port` from opening it.
  caf::expected<std::uint16_t> cluster_port() const;

  /// The workers that joined, live and lost.
  const node_table& nodes() const {
    return *svc_->nodes;
  }

  // -- monitoring -------------------------------------------------------------

  counters stats() const {
    return svc_->stats->snapshot();
  }

  /// Waits until no page background task is pending and no background
  /// session is queued or running.
  /// @returns false if `timeout` passed first.
  bool wait_idle(caf::timespan timeout);

private:
  /// Sends a request and waits up to `runtime_reply_timeout`; a receiver
  /// that is gone yields `if_gone`.
  template <class T, class Handle, class... Ts>
  caf::expected<T> ask(errc if_gone, const Handle& dest, Ts&&... xs);

  /// The same, for answers that wait on codeunits: up to `wait_timeout_`.
  template <class T, class Handle, class... Ts>
  caf::expected<T> ask_long(errc if_gone, const Handle& dest, Ts&&... xs);

  template <class T, class Handle, class... Ts>
  caf::expected<T> ask_within(caf::timespan bound, const char* bound_name,
                              errc if_gone, const Handle& dest, Ts&&... xs);

  caf::timespan wait_timeout_;
  caf::actor_system system_;
  std::shared_ptr<thread_pool> pool_;
  std::shared_ptr<thread_pool> session_io_;
  /// What codeunits of background sessions use to reach other sessions.
  std::unique_ptr<session_host> host_;
  services_ptr svc_;
  runtime_front_actor front_;
  /// The door and what opens it; says goodbye to the workers at shutdown.
  std::unique_ptr<coordinator> cluster_;
  /// Why `cluster-port` could not open the door, if it could not.
  caf::error cluster_error_;
};

} // namespace stagehand
