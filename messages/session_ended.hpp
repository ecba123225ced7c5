#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"
#include "messages/session_outcome.hpp"

namespace stagehand {

/// Tells a background session's subscriber the one outcome the session
/// reached.
struct session_ended {
  session_id id = 0;
  session_outcome outcome;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_ended& x) {
  return f(caf::meta::type_name("stagehand::session_ended"), x.id, x.outcome);
}

} // namespace stagehand
