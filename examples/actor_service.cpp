// Demonstrates the actor-native API: a service's own CAF actor opens a
// session and a page through the runtime actor, enqueues a background task,
// reacts to the completion message by enqueueing once more, and closes the
// session when all is done. Nothing here blocks a scheduler thread: every
// step is a request or a message.
#include <iostream>
#include <string>

#include <caf/scoped_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "runtime/runtime.hpp"

namespace {

using namespace stagehand;

/// A codeunit of the service: a slow read that says which round it was.
constexpr codeunit_id slow_read = 50500;

enqueue_task slow_read_task(int round) {
  return {slow_read,
          {{"Round", std::to_string(round)}},
          caf::none,
          error_level::error,
          "slow read"};
}

struct service_state {
  session_handle session;
  page_handle page;
  int rounds = 0;
};

/// The service's actor is the page's subscriber: the page's events arrive in
/// its mailbox as typed messages.
page_subscriber_actor::behavior_type
service(page_subscriber_actor::stateful_pointer<service_state> self,
        runtime_actor stagehand) {
  self->request(stagehand, caf::infinite, open_session{})
    .then(
      [=](session_handle& session) {
        std::cout << "service: opened session " << session.id << '\n';
        self->state.session = session;
        auto me = caf::actor_cast<page_subscriber_actor>(self);
        self
          ->request(stagehand, caf::infinite,
                    open_page{session.id, "CUSTOMER 10000", me})
          .then(
            [=](page_handle& page) {
              std::cout << "service: opened page " << page.id << '\n';
              self->state.page = page;
              self->request(page.actor, caf::infinite, slow_read_task(1))
                .then(
                  [](task_id id) {
                    std::cout << "service: enqueued task " << id << '\n';
                  },
                  [=](caf::error& err) {
                    self->quit(err);
                  });
            },
            [=](caf::error& err) {
              self->quit(err);
            });
      },
      [=](caf::error& err) {
        self->quit(err);
      });
  return {
    [](page_task_started& msg) {
      std::cout << "service: task " << msg.task.id << " started\n";
    },
    [=](page_task_completed& msg) {
      auto& st = self->state;
      std::cout << "service: task " << msg.task.id << " completed, round "
                << msg.results.at("Round") << '\n';
      if (++st.rounds == 1)
        self->request(st.page.actor, caf::infinite, slow_read_task(2))
          .then(
            [](task_id id) {
              std::cout << "service: re-enqueued as task " << id << '\n';
            },
            [=](caf::error& err) {
              self->quit(err);
            });
    },
    [](page_task_error& msg) {
      std::cout << "service: task " << msg.task.id
                << " failed: " << msg.error.text << '\n';
      return false; // not handled: the page shows the notification
    },
    [](page_task_cancelled& msg) {
      std::cout << "service: task " << msg.task.id << " cancelled\n";
    },
    [](page_notification& msg) {
      std::cout << "service: notification " << msg.level << ": " << msg.text
                << '\n';
    },
    [=](page_tasks_done&) {
      auto& st = self->state;
      if (st.rounds < 2)
        return; // the re-enqueued task is on its way
      std::cout << "service: all done, closing the session\n";
      self->request(stagehand, caf::infinite, close_atom::value, st.session.id)
        .then(
          [=] {
            self->quit();
          },
          [=](caf::error& err) {
            self->quit(err);
          });
    },
  };
}

} // namespace

int main(int argc, char** argv) {
  config cfg;
  if (auto err = cfg.parse(argc, argv); err || (err = cfg.validate())) {
    std::cerr << cfg.render(err) << '\n';
    return 2;
  }
  runtime rt{cfg};
  rt.codeunits().add(slow_read, "SlowRead", [](codeunit_context& ctx) {
    ctx.sleep(std::chrono::milliseconds(50));
    ctx.set_result({{"Round", ctx.parameters().at("Round")}});
  });
  // The service's actor runs in the runtime's actor system; main only waits
  // for it to finish.
  caf::scoped_actor waiter{rt.system()};
  auto actor = rt.system().spawn(service, rt.actor());
  waiter->monitor(actor);
  int status = 0;
  waiter->receive(
    [&](caf::down_msg& down) {
      if (down.reason && down.reason != caf::exit_reason::normal) {
        std::cerr << "service failed: " << describe(down.reason) << '\n';
        status = 1;
      }
    },
    caf::after(std::chrono::seconds(30)) >>
      [&] {
        std::cerr << "service did not finish within 30 s\n";
        status = 1;
      });
  std::cout << "service: finished\n";
  return status;
}
