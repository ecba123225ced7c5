#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"

namespace stagehand {

/// `CancelBackgroundTask`: the page replies true only when it marked the task.
struct cancel_task {
  task_id id = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cancel_task& x) {
  return f(caf::meta::type_name("stagehand::cancel_task"), x.id);
}

} // namespace stagehand
