#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/background_task.hpp"
#include "messages/cancel_reason.hpp"
#include "messages/ids.hpp"

namespace stagehand {

/// Tells a page's subscriber that one of the page's tasks was cancelled, and
/// why. No trigger fires for a cancelled task; the message is for watching.
struct page_task_cancelled {
  page_id page = 0;
  background_task task;
  cancel_reason reason = cancel_reason::requested;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, page_task_cancelled& x) {
  return f(caf::meta::type_name("stagehand::page_task_cancelled"), x.page,
           x.task, x.reason);
}

} // namespace stagehand
