#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/background_task.hpp"
#include "messages/ids.hpp"
#include "messages/task_error.hpp"

namespace stagehand {

/// `OnPageBackgroundTaskError` as a request: the subscriber answers whether
/// it handled the error (`IsHandled`). An unhandled error shows the
/// notification its level implies; no answer within the page's bound counts
/// as unhandled.
struct page_task_error {
  page_id page = 0;
  background_task task;
  /// The code, text and call stack the trigger would receive; the task's
  /// `level` decides the notification an unhandled error shows.
  task_error error;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, page_task_error& x) {
  return f(caf::meta::type_name("stagehand::page_task_error"), x.page, x.task,
           x.error);
}

} // namespace stagehand
