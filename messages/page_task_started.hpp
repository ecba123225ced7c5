#pragma once

#include <string>

#include <caf/meta/type_name.hpp>

#include "messages/background_task.hpp"
#include "messages/ids.hpp"

namespace stagehand {

/// Tells a page's subscriber that a child session began to run one of the
/// page's tasks.
struct page_task_started {
  page_id page = 0;
  background_task task;
  /// Where it runs: "local", or a worker's name.
  std::string node;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, page_task_started& x) {
  return f(caf::meta::type_name("stagehand::page_task_started"), x.page,
           x.task, x.node);
}

} // namespace stagehand
