#pragma once

#include <string>

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"

namespace stagehand {

/// Supervisor to page: a child session now runs the task, on `node`
/// ("local", or a worker's name).
struct task_started {
  task_id id = 0;
  std::string node;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, task_started& x) {
  return f(caf::meta::type_name("stagehand::task_started"), x.id, x.node);
}

} // namespace stagehand
