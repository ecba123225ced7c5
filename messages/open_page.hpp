#pragma once

#include <string>

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"
#include "messages/page_subscriber_actor.hpp"

namespace stagehand {

/// Asks the runtime actor to open a page in an open session, showing
/// `record_id`, answered with its `page_handle`. The page's events go to
/// `subscriber` as messages; when the subscriber is gone (it quit, or its
/// node was lost), the page closes and cancels its tasks.
struct open_page {
  session_id session = 0;
  std::string record_id;
  page_subscriber_actor subscriber;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, open_page& x) {
  return f(caf::meta::type_name("stagehand::open_page"), x.session, x.record_id,
           x.subscriber);
}

} // namespace stagehand
