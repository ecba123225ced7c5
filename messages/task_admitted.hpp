#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"

namespace stagehand {

/// Supervisor to page: the task holds a running slot or a queue place.
struct task_admitted {
  task_id id = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, task_admitted& x) {
  return f(caf::meta::type_name("stagehand::task_admitted"), x.id);
}

} // namespace stagehand
