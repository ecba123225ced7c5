#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"
#include "messages/page_actor.hpp"

namespace stagehand {

/// Hands a newly opened page to its parent session, which closes it when the
/// session closes. Refused once the session is closing.
struct attach_page {
  page_id id = 0;
  page_actor page;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, attach_page& x) {
  return f(caf::meta::type_name("stagehand::attach_page"), x.id, x.page);
}

} // namespace stagehand
