#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"

namespace stagehand {

/// Worker to supervisor: the codeunit of this page task now has its
/// cancellation token set (or had already ended), so its slot may go.
struct cancel_acknowledged {
  page_id page = 0;
  task_id id = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cancel_acknowledged& x) {
  return f(caf::meta::type_name("stagehand::cancel_acknowledged"), x.page,
           x.id);
}

} // namespace stagehand
