#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"

namespace stagehand {

/// `OnAllBackgroundTasksDone` as a message: the page's last pending task
/// reached its outcome.
struct page_tasks_done {
  page_id page = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, page_tasks_done& x) {
  return f(caf::meta::type_name("stagehand::page_tasks_done"), x.page);
}

} // namespace stagehand
