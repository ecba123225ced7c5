#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"

namespace stagehand {

/// Delayed message the background session manager sends itself when a
/// session's timeout expires. Background sessions are few (10 run at once by
/// default) and long, so one timer each is cheap.
struct session_timeout {
  session_id id = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_timeout& x) {
  return f(caf::meta::type_name("stagehand::session_timeout"), x.id);
}

} // namespace stagehand
