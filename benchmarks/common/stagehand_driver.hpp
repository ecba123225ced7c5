#pragma once

#include <memory>

#include "benchmarks/common/measure.hpp"
#include "runtime/runtime.hpp"

namespace stagehand::bench {

/// A page that keeps `in_flight` tasks running by re-enqueueing from its
/// completion trigger (the auto-refresh pattern), while the budget lasts. It
/// measures each task from enqueue to completion trigger when `in_flight` is
/// 1. This is how a service drives Stagehand without a blocking call per task.
class refill_page : public page_triggers {
public:
  refill_page(enqueue_task task, int in_flight, std::shared_ptr<budget> tasks,
              std::shared_ptr<latch> done, sample_set* latencies = nullptr)
    : task_(std::move(task)), in_flight_(in_flight), tasks_(std::move(tasks)),
      done_(std::move(done)), latencies_(latencies) {}

  void on_after_get_curr_record(page_context& page) override {
    for (int i = 0; i < in_flight_; ++i)
      start(page);
  }

  void on_page_background_task_completed(page_context& page,
                                         const background_task&,
                                         const dictionary&) override {
    finish(page);
  }

  void on_page_background_task_error(page_context& page, const background_task&,
                                     const task_error&,
                                     bool& handled) override {
    handled = true;
    finish(page);
  }

private:
  void start(page_context& page) {
    if (!tasks_->take())
      return;
    started_ = clock_type::now();
    page.enqueue_background_task(task_);
  }

  void finish(page_context& page) {
    if (latencies_ != nullptr)
      latencies_->add(micros(clock_type::now() - started_));
    done_->count_down();
    start(page);
  }

  enqueue_task task_;
  int in_flight_;
  std::shared_ptr<budget> tasks_;
  std::shared_ptr<latch> done_;
  sample_set* latencies_;
  clock_type::time_point started_;
};

/// A runtime for benchmarks: no logging, sample codeunits registered.
std::unique_ptr<runtime> make_runtime(config& cfg, page_observer observer = {});

/// A session on CRONUS; a runtime that cannot open one ends the run with
/// the reason.
session_handle open_session(runtime& rt);

} // namespace stagehand::bench
