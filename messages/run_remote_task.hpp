#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/background_task.hpp"
#include "messages/session_supervisor_actor.hpp"

namespace stagehand {

/// Coordinator to worker: run this page task's codeunit, and report its
/// start and outcome to `report_to` as `child_started` and `child_finished`.
/// The supervisor keeps the task's slot and timeout; the worker only runs it.
struct run_remote_task {
  background_task task;
  session_supervisor_actor report_to;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, run_remote_task& x) {
  return f(caf::meta::type_name("stagehand::run_remote_task"), x.task,
           x.report_to);
}

} // namespace stagehand
