// Throughput through the actor API: each session is a subscriber actor that
// opens its session and page by request and keeps 5 empty tasks (codeunit
// 50105) in flight by re-enqueueing from each completion message.
#include <cstdlib>
#include <iostream>

#include <caf/typed_event_based_actor.hpp>

#include "benchmarks/common/scenarios.hpp"
#include "benchmarks/common/stagehand_driver.hpp"
#include "samples/sample_codeunits.hpp"

namespace stagehand::bench {

namespace {

struct refill_state {
  page_actor page;
};

page_subscriber_actor::behavior_type
refill_subscriber(page_subscriber_actor::stateful_pointer<refill_state> self,
                  runtime_actor front, std::shared_ptr<budget> tasks,
                  std::shared_ptr<latch> done) {
  auto enqueue = [self, tasks, done] {
    if (!tasks->take())
      return;
    self
      ->request(
        self->state.page, caf::infinite,
        enqueue_task{
          samples::empty_codeunit, {}, caf::none, error_level::error, ""})
      // A refused task still counts, so that the run always ends.
      .then([](task_id) {},
            [done](caf::error&) {
              done->count_down();
            });
  };
  // Without a page no task would ever count: the run cannot go on.
  auto fail = [](caf::error& err) {
    std::cerr << "throughput (actor API): " << describe(err) << '\n';
    std::abort();
  };
  self->request(front, caf::infinite, stagehand::open_session{})
    .then(
      [=](session_handle& session) {
        auto me = caf::actor_cast<page_subscriber_actor>(self);
        self->request(front, caf::infinite, open_page{session.id, "R", me})
          .then(
            [=](page_handle& page) {
              self->state.page = page.actor;
              for (int i = 0; i < 5; ++i)
                enqueue();
            },
            fail);
      },
      fail);
  return {
    [](page_task_started&) {},
    [=](page_task_completed&) {
      done->count_down();
      enqueue();
    },
    [=](page_task_error&) {
      done->count_down();
      enqueue();
      return true;
    },
    [](page_task_cancelled&) {},
    [](page_notification&) {},
    [](page_tasks_done&) {},
  };
}

} // namespace

double throughput_stagehand_actors(std::size_t sessions, std::int64_t tasks) {
  config cfg;
  auto rt = make_runtime(cfg);
  auto budget_ptr = std::make_shared<budget>(tasks);
  auto done = std::make_shared<latch>(tasks);
  auto start = clock_type::now();
  for (std::size_t i = 0; i < sessions; ++i)
    rt->system().spawn(refill_subscriber, rt->actor(), budget_ptr, done);
  done->wait();
  auto seconds = micros(clock_type::now() - start) / 1e6;
  return static_cast<double>(tasks) / seconds;
}

} // namespace stagehand::bench
