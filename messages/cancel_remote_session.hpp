#pragma once

#include <string>

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"
#include "messages/session_report_actor.hpp"

namespace stagehand {

/// Coordinator to worker: this background session was stopped or timed out;
/// cancel its codeunit, which rolls back and records its Stop event with
/// `comment`, and answer `report_to` with `session_stop_acknowledged` once
/// the token is set. Session ids are unique on their coordinator.
struct cancel_remote_session {
  session_id id = 0;
  std::string comment;
  session_report_actor report_to;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f,
                                        cancel_remote_session& x) {
  return f(caf::meta::type_name("stagehand::cancel_remote_session"), x.id,
           x.comment, x.report_to);
}

} // namespace stagehand
