#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"

namespace stagehand {

/// Delayed message the supervisor sends itself when a task starts; if the task
/// still runs when it arrives, it has timed out.
struct task_timeout {
  page_id page = 0;
  task_id id = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, task_timeout& x) {
  return f(caf::meta::type_name("stagehand::task_timeout"), x.page, x.id);
}

} // namespace stagehand
