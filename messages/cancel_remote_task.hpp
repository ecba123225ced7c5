#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"
#include "messages/session_supervisor_actor.hpp"

namespace stagehand {

/// Coordinator to worker: the outcome of this page task is no longer wanted
/// (cancelled, timed out, or the coordinator shuts down); set its codeunit's
/// cancellation token, then acknowledge it to `report_to`. Page ids are
/// unique on their coordinator.
struct cancel_remote_task {
  page_id page = 0;
  task_id id = 0;
  /// Where the worker sends `cancel_acknowledged`.
  session_supervisor_actor report_to;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cancel_remote_task& x) {
  return f(caf::meta::type_name("stagehand::cancel_remote_task"), x.page, x.id,
           x.report_to);
}

} // namespace stagehand
