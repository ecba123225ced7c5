#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/background_task.hpp"
#include "messages/dictionary.hpp"
#include "messages/ids.hpp"

namespace stagehand {

/// `OnPageBackgroundTaskCompleted` as a message: the task and the results its
/// codeunit set.
struct page_task_completed {
  page_id page = 0;
  background_task task;
  dictionary results;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, page_task_completed& x) {
  return f(caf::meta::type_name("stagehand::page_task_completed"), x.page,
           x.task, x.results);
}

} // namespace stagehand
