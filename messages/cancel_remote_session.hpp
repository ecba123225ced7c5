#pragma once

#include <string>

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"

namespace stagehand {

/// Coordinator to worker: this background session was stopped or timed out;
/// cancel its codeunit, which rolls back and records its Stop event with
/// `comment`. Session ids are unique on their coordinator.
struct cancel_remote_session {
  session_id id = 0;
  std::string comment;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f,
                                        cancel_remote_session& x) {
  return f(caf::meta::type_name("stagehand::cancel_remote_session"), x.id,
           x.comment);
}

} // namespace stagehand
