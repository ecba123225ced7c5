#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"

namespace stagehand {

/// Delayed message the background session manager sends itself when it
/// stops a session on a worker: past `cancel-ack-timeout` without the
/// worker's acknowledgement, the stop is forced and the slot freed.
struct stop_ack_timeout {
  session_id id = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stop_ack_timeout& x) {
  return f(caf::meta::type_name("stagehand::stop_ack_timeout"), x.id);
}

} // namespace stagehand
