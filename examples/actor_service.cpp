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
  /// Tasks that have ended, completed or not.
  int rounds = 0;
};

using service_actor = page_subscriber_actor::stateful_pointer<service_state>;

/// Enqueues round `round` on the service's page.
void enqueue(service_actor self, int round) {
  self->request(self->state.page.actor, caf::infinite, slow_read_task(round))
    .then(
      [round](task_id id) {
        std::cout << "service: enqueued round " << round << " as task " << id
                  << '\n';
      },
      [self](caf::error& err) {
        self->quit(err);
      });
}

/// A task ended: the first time, the service asks for one more round.
void round_ended(service_actor self) {
  if (++self->state.rounds == 1)
    enqueue(self, 2);
}

/// The service's actor is the page's subscriber: the page's events arrive in
/// its mailbox as typed messages. It owns its session, which closes if the
/// actor goes.
page_subscriber_actor::behavior_type service(service_actor self,
                                             runtime_actor stagehand) {
  auto fail = [self](caf::error& err) {
    self->quit(err);
  };
  open_session request;
  request.owner = self->address();
  self->request(stagehand, caf::infinite, request)
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
              enqueue(self, 1);
            },
            fail);
      },
      fail);
  return {
    [](page_task_started& msg) {
      std::cout << "service: task " << msg.task.id << " started\n";
    },
    [=](page_task_completed& msg) {
      std::cout << "service: task " << msg.task.id << " completed, round "
                << msg.results.at("Round") << '\n';
      round_ended(self);
    },
    [=](page_task_error& msg) {
      std::cout << "service: task " << msg.task.id
                << " failed: " << msg.error.text << '\n';
      round_ended(self);
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
        return; // the second round is on its way
      std::cout << "service: all done, closing the session\n";
      self->request(stagehand, caf::infinite, close_atom::value, st.session.id)
        .then(
          [=] {
            self->quit();
          },
          fail);
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
  auto added
    = rt.codeunits().add(slow_read, "SlowRead", [](codeunit_context& ctx) {
        ctx.sleep(std::chrono::milliseconds(50));
        ctx.set_result({{"Round", ctx.parameters().at("Round")}});
      });
  if (added) {
    std::cerr << describe(added) << '\n';
    return 1;
  }
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
