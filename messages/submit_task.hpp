#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/background_task.hpp"
#include "messages/page_internal_actor.hpp"

namespace stagehand {

/// Page to supervisor: admit this task, to a running slot or the queue, and
/// report its life cycle to `page`.
struct submit_task {
  background_task task;
  page_internal_actor page;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, submit_task& x) {
  return f(caf::meta::type_name("stagehand::submit_task"), x.task, x.page);
}

} // namespace stagehand
