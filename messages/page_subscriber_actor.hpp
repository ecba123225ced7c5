#pragma once

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/page_notification.hpp"
#include "messages/page_task_cancelled.hpp"
#include "messages/page_task_completed.hpp"
#include "messages/page_task_error.hpp"
#include "messages/page_task_started.hpp"
#include "messages/page_tasks_done.hpp"

namespace stagehand {

/// What a service's actor implements to receive a page's events instead of a
/// `page_triggers` object: every event arrives in its mailbox, so it can live
/// anywhere, on this node or another, and never blocks the page. The error
/// is a request; the answer is `IsHandled`.
using page_subscriber_actor = caf::typed_actor<
  caf::reacts_to<page_task_started>, caf::reacts_to<page_task_completed>,
  caf::replies_to<page_task_error>::with<bool>,
  caf::reacts_to<page_task_cancelled>, caf::reacts_to<page_notification>,
  caf::reacts_to<page_tasks_done>>;

} // namespace stagehand
