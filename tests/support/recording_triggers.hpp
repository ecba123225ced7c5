#pragma once

#include <functional>
#include <string>
#include <vector>

#include "services/page_triggers.hpp"

namespace stagehand::test {

/// Page code for tests: records which triggers ran, with what, and lets a test
/// plug in behaviour (throw, re-enqueue, handle errors).
class recording_triggers : public page_triggers {
public:
  struct call {
    std::string trigger;
    task_id id = 0;
    std::string record_id;
    dictionary results;
    task_error error;
  };

  std::vector<call> calls;
  /// Deepest nesting of trigger calls seen; re-enqueueing must keep it at 1.
  int max_depth = 0;

  std::function<void(page_context&, const background_task&)> on_completed;
  std::function<void(page_context&, const background_task&, bool&)> on_error;
  std::function<void(page_context&)> on_record;

  std::size_t count(const std::string& trigger) const {
    std::size_t n = 0;
    for (auto& c : calls)
      n += c.trigger == trigger ? 1 : 0;
    return n;
  }

  void on_after_get_curr_record(page_context& ctx) override {
    depth_guard guard{this};
    calls.push_back({"OnAfterGetCurrRecord", 0, ctx.record_id(), {}, {}});
    if (on_record)
      on_record(ctx);
  }

  void on_page_background_task_completed(page_context& ctx,
                                         const background_task& task,
                                         const dictionary& results) override {
    depth_guard guard{this};
    calls.push_back(
      {"OnPageBackgroundTaskCompleted", task.id, ctx.record_id(), results, {}});
    if (on_completed)
      on_completed(ctx, task);
  }

  void on_page_background_task_error(page_context& ctx,
                                     const background_task& task,
                                     const task_error& err,
                                     bool& is_handled) override {
    depth_guard guard{this};
    calls.push_back(
      {"OnPageBackgroundTaskError", task.id, ctx.record_id(), {}, err});
    if (on_error)
      on_error(ctx, task, is_handled);
  }

  void on_all_background_tasks_done(page_context&) override {
    calls.push_back({"OnAllBackgroundTasksDone", 0, {}, {}, {}});
  }

private:
  struct depth_guard {
    recording_triggers* self;
    explicit depth_guard(recording_triggers* x) : self(x) {
      if (++self->depth_ > self->max_depth)
        self->max_depth = self->depth_;
    }
    ~depth_guard() {
      --self->depth_;
    }
  };

  int depth_ = 0;
};

} // namespace stagehand::test
