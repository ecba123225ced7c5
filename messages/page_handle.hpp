#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"
#include "messages/page_actor.hpp"

namespace stagehand {

/// A page as the embedding code holds it. Enqueue, cancel and run tasks,
/// change the record and close the page by sending to `actor`.
struct page_handle {
  page_id id = 0;
  session_id session = 0;
  page_actor actor;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, page_handle& x) {
  return f(caf::meta::type_name("stagehand::page_handle"), x.id, x.session,
           x.actor);
}

} // namespace stagehand
