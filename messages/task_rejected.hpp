#pragma once

#include <caf/error.hpp>
#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"

namespace stagehand {

/// Supervisor to page: the task was refused, for example because the queue is
/// full.
struct task_rejected {
  task_id id = 0;
  caf::error reason;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, task_rejected& x) {
  return f(caf::meta::type_name("stagehand::task_rejected"), x.id, x.reason);
}

} // namespace stagehand
