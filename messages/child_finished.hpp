#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"
#include "messages/task_outcome.hpp"

namespace stagehand {

/// Pool thread (or child session, for a codeunit it cannot find) to
/// supervisor: the codeunit returned or raised.
struct child_finished {
  page_id page = 0;
  task_id id = 0;
  task_outcome outcome;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, child_finished& x) {
  return f(caf::meta::type_name("stagehand::child_finished"), x.page, x.id,
           x.outcome);
}

} // namespace stagehand
