#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"
#include "messages/session_outcome.hpp"

namespace stagehand {

/// A background session's codeunit has returned: from its worker to the
/// manager.
struct session_finished {
  session_id id = 0;
  session_outcome outcome;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_finished& x) {
  return f(caf::meta::type_name("stagehand::session_finished"), x.id,
           x.outcome);
}

} // namespace stagehand
