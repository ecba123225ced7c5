#pragma once

#include <string>

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"

namespace stagehand {

/// `StopSession(SessionId, Comment)`. The manager answers true if the session
/// was queued or running and is now stopped, false if no such session is
/// active; a session that asks to stop itself gets an error.
struct stop_session {
  session_id id = 0;
  std::string comment;
  /// The session that asks, 0 from outside any session.
  session_id caller = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stop_session& x) {
  return f(caf::meta::type_name("stagehand::stop_session"), x.id, x.comment,
           x.caller);
}

} // namespace stagehand
