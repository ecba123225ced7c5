#include "runtime/runtime.hpp"

#include <chrono>
#include <thread>

#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/background_session_manager.hpp"
#include "actors/page.hpp"
#include "actors/runtime_front.hpp"
#include "cluster/coordinator.hpp"
#include "core/errc.hpp"
#include "core/log.hpp"
#include "data/user_write.hpp"
#include "messages/type_fingerprint.hpp"
#include "services/node_table.hpp"

namespace stagehand {

namespace {

/// Lets codeunits of background sessions reach the runtime's session API.
/// Its calls block the codeunit's worker thread, never an actor's.
class runtime_session_host : public session_host {
public:
  explicit runtime_session_host(runtime& rt) : rt_(rt) {}

  void message(const background_task& session,
               const std::string& text) override {
    auto& svc = *rt_.services();
    svc.log->info("session_type={} session_id={} page_id={} task_id={} "
                  "event=message text=\"{}\"",
                  session.page == 0 ? "Background" : "ChildSession",
                  session.session, session.page, session.id, text);
    if (session.page == 0)
      tell(
        svc.session_events,
        {session_notice::kind::message, session.session, session.tag, {}, text,
         {}, {}, {}},
        *svc.log);
  }

  caf::expected<session_id>
  start_session(stagehand::start_session req) override {
    return rt_.start_session(std::move(req));
  }

  caf::expected<bool> stop_session(stagehand::stop_session req) override {
    return rt_.stop_session(std::move(req));
  }

  bool is_session_active(session_id id) override {
    return rt_.is_session_active(id);
  }

private:
  runtime& rt_;
};

services_ptr make_services(const config& cfg, page_observer observer,
                           session_observer sessions,
                           std::shared_ptr<blocking_executor> executor,
                           std::shared_ptr<blocking_executor> session_io,
                           session_host* host) {
  auto svc = std::make_shared<services>();
  svc->limits = cfg.limits;
  svc->codeunits = std::make_shared<codeunit_registry>();
  svc->executor = std::move(executor);
  svc->session_io = std::move(session_io);
  svc->stats = std::make_shared<metrics>();
  svc->companies = std::make_shared<company_directory>(
    cfg.data_dir,
    std::make_shared<const table_catalog>(table_catalog::standard()),
    cfg.database_pool_size, cfg.database_busy_timeout, cfg.synchronous());
  svc->observer = std::move(observer);
  svc->log = make_logger(cfg.log_level);
  svc->sessions = cfg.sessions;
  svc->registry = std::make_shared<session_registry>();
  svc->next_session_id = std::make_shared<std::atomic<session_id>>(1);
  svc->host = host;
  svc->session_events = std::move(sessions);
  svc->nodes = std::make_shared<node_table>();
  // Validated by the config; this process counts as a node of
  // `worker-capacity` when it competes with its workers.
  svc->nodes->configure(
    parse_placement(cfg.cluster.placement).value_or(placement_mode::spread),
    cfg.cluster.worker_capacity);
  return svc;
}

} // namespace

runtime::runtime(config& cfg, page_observer observer, session_observer sessions)
  : wait_timeout_(cfg.runtime_wait_timeout), system_(cfg),
    pool_(std::make_shared<thread_pool>(cfg.codeunit_threads)),
    session_io_(std::make_shared<thread_pool>(1)),
    host_(std::make_unique<runtime_session_host>(*this)),
    svc_(make_services(cfg, std::move(observer), std::move(sessions), pool_,
                       session_io_, host_.get())),
    front_(system_.spawn(runtime_front, svc_,
                         system_.spawn(background_session_manager, svc_))),
    cluster_(std::make_unique<coordinator>(system_, cfg.cluster,
                                           message_types_fingerprint(cfg),
                                           svc_->nodes, svc_->log)) {
  if (cfg.cluster.port == 0)
    return;
  if (auto port = listen_for_workers(cfg.cluster.port); !port) {
    cluster_error_ = port.error();
    svc_->log->error("event=cluster_listen_failed port={} reason=\"{}\"",
                     cfg.cluster.port, describe(cluster_error_));
  }
}

runtime::~runtime() {
  // The runtime actor stops every background session, then closes every
  // open session.
  if (auto stopped
      = ask<std::uint64_t>(errc::shutting_down, front_, shutdown_atom::value))
    svc_->log->info("event=runtime_shutdown stopped={}", *stopped);
  // Every live worker hears goodbye, and the door closes.
  cluster_->stop("runtime shutdown");
  // Codeunits still running were cancelled; let them unwind before the actor
  // system goes away, since they report to it.
  pool_->shutdown();
  session_io_->shutdown();
}

namespace {

/// What a runtime call that gave up waiting returns.
caf::error no_answer(caf::timespan bound, const char* bound_name) {
  return make_error(
    errc::no_answer,
    caf::make_message(
      std::string{bound_name},
      static_cast<std::int64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(bound).count())));
}

constexpr const char* reply_bound = "runtime_reply_timeout";
constexpr const char* wait_bound = "stagehand.runtime-wait-timeout";

/// Asks the manager about session `id` from an actor of its own and hands the
/// answer, or why there is none, to `done` on that actor's thread.
template <class T, class Atom>
void subscribe(caf::actor_system& system, const runtime_actor& front,
               caf::timespan bound, Atom what, session_id id,
               std::function<void(caf::expected<T>)> done) {
  // CAF 0.17 dereferences a null argument tuple when a function actor is
  // spawned without arguments (UBSan reports it), so the handle is passed in.
  system.spawn(
    [what, id, bound, done = std::move(done)](caf::event_based_actor* self,
                                              const runtime_actor& dest) {
      self->request(dest, bound, what, id)
        .then(
          [done](T& answer) {
            done(std::move(answer));
          },
          [done, bound](caf::error& err) {
            if (err == caf::sec::request_receiver_down)
              done(make_error(errc::shutting_down));
            else if (err == caf::sec::request_timeout)
              done(no_answer(bound, wait_bound));
            else
              done(std::move(err));
          });
    },
    front);
}

} // namespace

template <class T, class Handle, class... Ts>
caf::expected<T> runtime::ask(errc if_gone, const Handle& dest, Ts&&... xs) {
  return ask_within<T>(runtime_reply_timeout, reply_bound, if_gone, dest,
                       std::forward<Ts>(xs)...);
}

template <class T, class Handle, class... Ts>
caf::expected<T> runtime::ask_long(errc if_gone, const Handle& dest,
                                   Ts&&... xs) {
  return ask_within<T>(wait_timeout_, wait_bound, if_gone, dest,
                       std::forward<Ts>(xs)...);
}

template <class T, class Handle, class... Ts>
caf::expected<T> runtime::ask_within(caf::timespan bound,
                                     const char* bound_name, errc if_gone,
                                     const Handle& dest, Ts&&... xs) {
  caf::scoped_actor self{system_};
  caf::expected<T> result{caf::error{}};
  auto on_error = [&](caf::error& err) {
    if (err == caf::sec::request_receiver_down)
      result = make_error(if_gone);
    else if (err == caf::sec::request_timeout)
      result = no_answer(bound, bound_name);
    else
      result = std::move(err);
  };
  auto response = self->request(dest, bound, std::forward<Ts>(xs)...);
  if constexpr (std::is_same<T, void>::value)
    response.receive(
      [&] {
        result = caf::expected<void>{};
      },
      on_error);
  else
    response.receive(
      [&](T& x) {
        result = std::move(x);
      },
      on_error);
  return result;
}

caf::expected<session_handle> runtime::open_session(client_type client,
                                                    const std::string& company,
                                                    std::string user) {
  stagehand::open_session request;
  request.client = client;
  request.company = company;
  request.user = std::move(user);
  return ask<session_handle>(errc::shutting_down, front_, std::move(request));
}

caf::expected<void> runtime::write(const session_handle& session,
                                   const std::function<void(database&)>& work) {
  auto done = run_user_write(*svc_->companies, session.company, work);
  if (!done)
    svc_->log->info("session_type=UserSession session_id={} company=\"{}\" "
                    "event=rolled_back reason=\"{}\"",
                    session.id, session.company, describe(done.error()));
  return done;
}

caf::expected<std::unique_ptr<database>>
runtime::open_admin_connection(const std::string& company) {
  auto opened = svc_->companies->create(company);
  if (!opened)
    return opened.error();
  return (*opened)->open_writer();
}

caf::expected<void> runtime::close_session(const session_handle& session) {
  return ask<void>(errc::session_closed, front_, close_atom::value, session.id);
}

page_handle runtime::open_page(const session_handle& session,
                               std::string record_id,
                               std::shared_ptr<page_triggers> triggers) {
  // A triggers object is code in this process, not a message: the page is
  // spawned here rather than asked of the runtime actor, which gives only
  // the session's supervisor.
  // A closed session has none; the page then refuses tasks and closes.
  auto supervisor = ask<session_supervisor_actor>(
    errc::session_closed, front_, supervisor_atom::value, session.id);
  return spawn_page(system_, svc_, session,
                    supervisor ? std::move(*supervisor)
                               : session_supervisor_actor{},
                    svc_->next_session_id->fetch_add(1), std::move(record_id),
                    std::move(triggers));
}

caf::expected<void> runtime::close_page(const page_handle& page) {
  return ask<void>(errc::page_closed, page.actor,
                   stagehand::close_page{cancel_reason::page_closed});
}

caf::expected<void> runtime::set_record(const page_handle& page,
                                        std::string record_id) {
  return ask<void>(errc::page_closed, page.actor,
                   change_record{std::move(record_id)});
}

caf::expected<task_id> runtime::enqueue_background_task(const page_handle& page,
                                                        enqueue_task request) {
  // In a web-service session the answer waits for the task's trigger.
  return ask_long<task_id>(errc::page_closed, page.actor, std::move(request));
}

caf::expected<bool> runtime::cancel_background_task(const page_handle& page,
                                                    task_id id) {
  return ask<bool>(errc::page_closed, page.actor, cancel_task{id});
}

caf::expected<dictionary>
runtime::run_page_background_task(const page_handle& page, codeunit_id codeunit,
                                  dictionary parameters,
                                  bool run_completion_triggers) {
  return ask_long<dictionary>(
    errc::page_closed, page.actor,
    run_task_now{codeunit, std::move(parameters), run_completion_triggers});
}

caf::expected<std::size_t>
runtime::pending_background_tasks(const page_handle& page) {
  auto n = ask<std::uint64_t>(errc::page_closed, page.actor,
                              pending_tasks_atom::value);
  if (!n)
    return std::move(n.error());
  return static_cast<std::size_t>(*n);
}

caf::expected<void> runtime::wait_all_tasks_done(const page_handle& page) {
  return ask_long<void>(errc::page_closed, page.actor, tasks_done_atom::value);
}

caf::expected<session_id>
runtime::start_session(stagehand::start_session request) {
  return ask<session_id>(errc::shutting_down, front_, std::move(request));
}

caf::expected<session_id>
runtime::start_session(const session_handle& caller,
                       stagehand::start_session request) {
  request.caller = caller.id;
  return start_session(std::move(request));
}

caf::expected<session_id>
runtime::start_session_as(std::string user, stagehand::start_session request) {
  request.caller = 0;
  return ask<session_id>(errc::shutting_down, front_,
                         launch_session{std::move(request), std::move(user)});
}

caf::expected<bool> runtime::stop_session(session_id id, std::string comment) {
  return stop_session(stagehand::stop_session{id, std::move(comment), 0});
}

caf::expected<bool> runtime::stop_session(stagehand::stop_session request) {
  return ask<bool>(errc::shutting_down, front_, std::move(request));
}

bool runtime::is_session_active(session_id id) {
  auto active
    = ask<bool>(errc::shutting_down, front_, is_active_atom::value, id);
  return active && *active;
}

caf::expected<session_outcome> runtime::wait_session(session_id id) {
  return ask_long<session_outcome>(errc::shutting_down, front_,
                                   outcome_atom::value, id);
}

void runtime::on_session_outcome(
  session_id id, std::function<void(caf::expected<session_outcome>)> done) {
  subscribe<session_outcome>(system_, front_, wait_timeout_,
                             outcome_atom::value, id, std::move(done));
}

void runtime::on_session_started(
  session_id id, std::function<void(caf::expected<bool>)> done) {
  subscribe<bool>(system_, front_, wait_timeout_, started_atom::value, id,
                  std::move(done));
}

caf::expected<std::vector<session_event>>
runtime::session_events(const std::string& company, session_id session) {
  auto db = svc_->companies->open_writer(company);
  if (!db)
    return db.error();
  try {
    return session_event_log::read(**db, session);
  } catch (const database_error& e) {
    return make_error(errc::task_failed,
                      caf::make_message(std::string{codeunit_error_code},
                                        std::string{e.what()}));
  }
}

caf::expected<std::size_t>
runtime::purge_session_events(const std::string& company) {
  return stagehand::purge_session_events(*svc_->companies, company,
                                         std::chrono::system_clock::now()
                                           - svc_->sessions.event_retention,
                                         svc_->sessions.purge_batch);
}

bool runtime::wait_idle(caf::timespan timeout) {
  // Polling keeps the hot path free of any notification; 1 ms is far below
  // anything a caller of this method can observe.
  auto deadline = std::chrono::steady_clock::now() + timeout;
  // A background session moving from the queue to a slot is counted
  // running before it is uncounted queued, so the queue is read first.
  auto busy = [&] {
    auto& stats = *svc_->stats;
    return stats.pending_tasks.load() > 0
           || stats.queued_background_sessions.load() > 0
           || stats.active_background_sessions.load() > 0;
  };
  while (busy()) {
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// -- the cluster --------------------------------------------------------------

caf::expected<std::uint16_t> runtime::listen_for_workers(std::uint16_t port) {
  return cluster_->listen(port);
}

caf::expected<std::uint16_t> runtime::cluster_port() const {
  if (auto port = cluster_->port())
    return *port;
  if (cluster_error_)
    return cluster_error_;
  return make_error(errc::cluster_unavailable,
                    caf::make_message(std::string{"no door was opened"}));
}

} // namespace stagehand
