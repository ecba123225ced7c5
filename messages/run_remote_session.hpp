#pragma once

#include <string>

#include <caf/meta/type_name.hpp>

#include "messages/background_task.hpp"
#include "messages/session_report_actor.hpp"

namespace stagehand {

/// Coordinator to worker: run this background session, record its Start and
/// Close events in the worker's own company database under `unique_id`, and
/// report its outcome to `report_to` as `session_finished`. The manager
/// keeps the session's slot, timeout and outcome; the worker only runs it.
struct run_remote_session {
  background_task session;
  std::string unique_id;
  session_report_actor report_to;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, run_remote_session& x) {
  return f(caf::meta::type_name("stagehand::run_remote_session"), x.session,
           x.unique_id, x.report_to);
}

} // namespace stagehand
