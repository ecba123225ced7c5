#pragma once

#include <vector>

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"

namespace stagehand {

/// Page to supervisor: release these tasks, queued or running; the page has
/// already recorded their outcome.
struct cancel_tasks {
  page_id page = 0;
  std::vector<task_id> ids;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cancel_tasks& x) {
  return f(caf::meta::type_name("stagehand::cancel_tasks"), x.page, x.ids);
}

} // namespace stagehand
