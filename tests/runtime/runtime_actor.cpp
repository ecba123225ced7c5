// Tests the runtime actor (`runtime::actor()`) end to end on the real
// scheduler: a service's actors open a session and a page, enqueue, and hear
// the outcome as messages, from this node and from a second CAF node that
// reaches the runtime over the middleman on loopback.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>

#include "messages/close_session.hpp"
#include "messages/launch_session.hpp"
#include "messages/task_finished.hpp"
#include "runtime/runtime.hpp"
#include "samples/sample_codeunits.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/deadline.hpp"
#include "tests/support/recording_subscriber.hpp"

using namespace stagehand;
using namespace stagehand::test;

namespace {

/// Asks `dest` and waits on the test's own thread (never a scheduler's) for
/// the answer, failing the test naming `what` if none comes or it is an error.
template <class T, class Handle, class... Ts>
T ask(caf::actor_system& sys, const Handle& dest, const std::string& what,
      Ts&&... xs) {
  caf::scoped_actor self{sys};
  std::optional<T> result;
  std::string refusal = "no answer";
  self->request(dest, wait_limit, std::forward<Ts>(xs)...)
    .receive(
      [&](T& x) {
        result = std::move(x);
      },
      [&](caf::error& err) {
        refusal = describe(err);
      });
  BOOST_REQUIRE_MESSAGE(result, what << ": " << refusal);
  return std::move(*result);
}

enqueue_task wait_task(int ms) {
  return {samples::wait_codeunit,
          {{"Wait", std::to_string(ms)}},
          caf::none,
          error_level::error,
          ""};
}

/// A runtime whose runtime actor is published on a loopback port, so that
/// another node can reach it.
struct published_runtime {
  config cfg;
  std::mutex mtx;
  std::vector<page_event> cancelled;
  std::unique_ptr<runtime> rt;
  std::uint16_t port = 0;

  published_runtime() {
    cfg.log_level = "off";
    cfg.load<caf::io::middleman>();
    rt = std::make_unique<runtime>(cfg, [this](const page_event& ev) {
      if (ev.what != page_event::kind::cancelled)
        return;
      std::lock_guard<std::mutex> guard{mtx};
      cancelled.push_back(ev);
    });
    BOOST_REQUIRE(!samples::register_sample_codeunits(rt->codeunits()));
    auto published
      = rt->system().middleman().publish(rt->actor(), 0, "127.0.0.1");
    // The message is built even when the check passes: no error() then.
    BOOST_REQUIRE_MESSAGE(
      published,
      "publish: " << (published ? std::string{} : describe(published.error())));
    port = *published;
  }

  std::vector<page_event> cancellations() {
    std::lock_guard<std::mutex> guard{mtx};
    return cancelled;
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(runtime_runtime_actor)

BOOST_AUTO_TEST_CASE(a_subscriber_hears_its_page_on_the_real_scheduler) {
  config cfg;
  cfg.log_level = "off";
  runtime rt{cfg};
  BOOST_REQUIRE(!samples::register_sample_codeunits(rt.codeunits()));
  auto rec = std::make_shared<subscriber_record>();
  rec->reenqueue = 1;
  rec->again = wait_task(1);
  auto subscriber = spawn_page_subscriber(rt.system(), rec);
  auto& sys = rt.system();
  auto session
    = ask<session_handle>(sys, rt.actor(), "open_session", open_session{});
  auto page
    = ask<page_handle>(sys, rt.actor(), "open_page",
                       open_page{session.id, "CUSTOMER 10000", subscriber});
  rec->page = page.actor;
  auto first = ask<task_id>(sys, page.actor, "enqueue", wait_task(5));
  BOOST_CHECK_EQUAL(first, 1u);
  BOOST_REQUIRE_MESSAGE(rec->wait_for("completed 2 ", wait_limit),
                        "the re-enqueued task did not complete");
  BOOST_REQUIRE_MESSAGE(rec->wait_for("done", wait_limit), "no all-done");
  auto lines = rec->lines();
  BOOST_CHECK(std::find(lines.begin(), lines.end(), "reenqueued 2")
              != lines.end());
  caf::scoped_actor self{sys};
  std::string closed = "no answer";
  self->request(rt.actor(), wait_limit, close_atom::value, session.id)
    .receive(
      [&] {
        closed = "closed";
      },
      [&](caf::error& err) {
        closed = describe(err);
      });
  BOOST_CHECK_EQUAL(closed, "closed");
}

BOOST_AUTO_TEST_CASE(a_subscriber_on_another_node_drives_a_page) {
  published_runtime coordinator;
  config service_cfg;
  service_cfg.load<caf::io::middleman>();
  caf::actor_system service{service_cfg};
  auto front = service.middleman().remote_actor<runtime_actor>(
    "127.0.0.1", coordinator.port);
  BOOST_REQUIRE_MESSAGE(
    front,
    "remote_actor: " << (front ? std::string{} : describe(front.error())));
  auto rec = std::make_shared<subscriber_record>();
  auto subscriber = spawn_page_subscriber(service, rec);
  auto session
    = ask<session_handle>(service, *front, "open_session", open_session{});
  auto page
    = ask<page_handle>(service, *front, "open_page",
                       open_page{session.id, "CUSTOMER 10000", subscriber});
  ask<task_id>(service, page.actor, "enqueue", wait_task(5));
  BOOST_REQUIRE_MESSAGE(rec->wait_for("done", wait_limit),
                        "the remote subscriber heard no all-done");
  BOOST_CHECK_EQUAL(rec->lines().at(1).rfind("completed 1 ", 0), 0u);
  // A task still running when the subscriber goes is cancelled with it.
  ask<task_id>(service, page.actor, "enqueue", wait_task(60'000));
  BOOST_REQUIRE_MESSAGE(rec->wait_for("started 2", wait_limit),
                        "the long task did not start");
  caf::anon_send_exit(subscriber, caf::exit_reason::user_shutdown);
  require_eventually(
    [&] {
      return !coordinator.cancellations().empty();
    },
    "the page did not cancel its task when its remote subscriber went");
  auto cancelled = coordinator.cancellations();
  BOOST_CHECK_EQUAL(cancelled.size(), 1u);
  BOOST_CHECK(cancelled.at(0).reason == cancel_reason::subscriber_lost);
}

BOOST_AUTO_TEST_CASE(a_node_cannot_forge_what_only_the_runtime_may_say) {
  published_runtime coordinator;
  config service_cfg;
  service_cfg.load<caf::io::middleman>();
  caf::actor_system service{service_cfg};
  auto front = service.middleman().remote_actor<runtime_actor>(
    "127.0.0.1", coordinator.port);
  BOOST_REQUIRE_MESSAGE(
    front,
    "remote_actor: " << (front ? std::string{} : describe(front.error())));
  auto session
    = ask<session_handle>(service, *front, "open_session", open_session{});
  auto page = ask<page_handle>(service, *front, "open_page",
                               open_page{session.id, "CUSTOMER 10000", {}});
  ask<task_id>(service, page.actor, "enqueue", wait_task(60'000));
  // Each handle cast to what its actor handles inside the runtime.
  caf::scoped_actor self{service};
  // Returns the refusal's text, or "accepted"; `accepted` matches the
  // message's normal answer.
  auto answer = [&](auto accepted, auto dest, auto... xs) {
    std::string result = "no answer";
    self->request(caf::actor_cast<caf::actor>(dest), wait_limit, xs...)
      .receive(accepted, [&](caf::error& err) { result = describe(err); });
    return result == "no answer" ? std::string{"accepted"} : result;
  };
  auto a_count = [](std::uint64_t) {};
  BOOST_CHECK_EQUAL(answer(a_count, *front, shutdown_atom::value),
                    "Only the runtime itself may send shutdown.");
  BOOST_CHECK_EQUAL(
    answer(a_count, *front,
           launch_session{start_session{samples::wait_codeunit}, "EVE"}),
    "Only the runtime itself may send launch_session.");
  BOOST_CHECK_EQUAL(answer([] {}, session.actor, close_session{}),
                    "Only the runtime itself may send close_session.");
  // A forged outcome for the running task: the page drops it, so the task is
  // still pending when the page answers the next message from this sender.
  self->send(caf::actor_cast<caf::actor>(page.actor),
             task_finished{1, 0, task_outcome::completed({})});
  BOOST_CHECK_EQUAL(ask<std::uint64_t>(service, page.actor, "pending",
                                       pending_tasks_atom::value),
                    1u);
  // The runtime still serves: nothing above shut it down or closed anything.
  auto other
    = ask<session_handle>(service, *front, "open_session", open_session{});
  BOOST_CHECK_NE(other.id, session.id);
}

BOOST_AUTO_TEST_CASE(a_lost_service_node_closes_its_page_and_session) {
  published_runtime coordinator;
  child_process node{{"/proc/self/exe",
                      "--run_test=service_node_process",
                      "--log_level=nothing", "--report_level=no"},
                     {{"STAGEHAND_TEST_PORT",
                       std::to_string(coordinator.port)}}};
  std::string line;
  while ((line = node.read_line()).rfind("ready ", 0) != 0) {
  }
  auto session = std::stoull(line.substr(6));
  node.stop(SIGKILL);
  // The node's connection closes with the process: CAF kills its proxies,
  // and the page and the runtime actor hear of it through their monitors.
  require_eventually(
    [&] { return !coordinator.cancellations().empty(); },
    "the page did not cancel its task when the service node was killed");
  auto cancelled = coordinator.cancellations();
  BOOST_REQUIRE_EQUAL(cancelled.size(), 1u);
  BOOST_CHECK(cancelled.at(0).reason == cancel_reason::subscriber_lost);
  require_eventually(
    [&] {
      auto open = coordinator.rt->active_sessions();
      return std::none_of(open.begin(), open.end(),
                          [&](auto& s) { return s.id == session; });
    },
    "the session of the killed node stayed open");
}

BOOST_AUTO_TEST_SUITE_END()

/// The service node of `a_lost_service_node_closes_its_page_and_session`,
/// run only as its child process (outside every suite, so that no ctest test
/// runs it): it reaches the runtime actor on the port in STAGEHAND_TEST_PORT,
/// opens a session it owns and a page, starts a long task, says `ready`, and
/// waits to be killed.
BOOST_AUTO_TEST_CASE(service_node_process, *boost::unit_test::disabled()) {
  auto port = std::getenv("STAGEHAND_TEST_PORT");
  BOOST_REQUIRE_MESSAGE(port != nullptr, "run by the test below only");
  config cfg;
  cfg.load<caf::io::middleman>();
  caf::actor_system service{cfg};
  auto front = service.middleman().remote_actor<runtime_actor>(
    "127.0.0.1", static_cast<std::uint16_t>(std::stoi(port)));
  BOOST_REQUIRE(front);
  auto rec = std::make_shared<subscriber_record>();
  auto subscriber = spawn_page_subscriber(service, rec);
  stagehand::open_session owned;
  owned.owner = subscriber.address();
  auto session = ask<session_handle>(service, *front, "open_session", owned);
  auto page = ask<page_handle>(service, *front, "open_page",
                               open_page{session.id, "CUSTOMER 10000",
                                         subscriber});
  ask<task_id>(service, page.actor, "enqueue", wait_task(60'000));
  BOOST_REQUIRE(rec->wait_for("started 1", wait_limit));
  std::cout << "ready " << session.id << std::endl;
  std::this_thread::sleep_for(wait_limit);
}
