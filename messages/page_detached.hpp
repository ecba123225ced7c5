#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"

namespace stagehand {

/// Page to parent session: the page closed and no longer needs to be closed
/// with the session.
struct page_detached {
  page_id page = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, page_detached& x) {
  return f(caf::meta::type_name("stagehand::page_detached"), x.page);
}

} // namespace stagehand
