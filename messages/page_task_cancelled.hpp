#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/background_task.hpp"
#include "messages/cancel_reason.hpp"
#include "messages/cancel_state.hpp"
#include "messages/ids.hpp"

namespace stagehand {

/// Tells a page's subscriber that one of the page's tasks was cancelled, and
/// why, and how far the cancel got. No trigger fires for a cancelled task;
/// the message is for watching.
struct page_task_cancelled {
  page_id page = 0;
  background_task task;
  cancel_reason reason = cancel_reason::requested;
  /// `acknowledged`, unless it ran on a worker: then `acknowledged` or
  /// `forced` once the worker answered or the wait ended, or `requested` if
  /// the page closed first.
  cancel_state state = cancel_state::acknowledged;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, page_task_cancelled& x) {
  return f(caf::meta::type_name("stagehand::page_task_cancelled"), x.page,
           x.task, x.reason, x.state);
}

} // namespace stagehand
