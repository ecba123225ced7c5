#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"

namespace stagehand {

/// Pool thread to supervisor: the task's codeunit has just started. Its
/// timeout counts from here, so that the wait for a free thread is not the
/// codeunit's.
struct child_started {
  page_id page = 0;
  task_id id = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, child_started& x) {
  return f(caf::meta::type_name("stagehand::child_started"), x.page, x.id);
}

} // namespace stagehand
