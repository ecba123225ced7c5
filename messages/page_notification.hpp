#pragma once

#include <string>

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"

namespace stagehand {

/// A notification the page shows its client: `level` is "info", "warning"
/// or "error".
struct page_notification {
  page_id page = 0;
  std::string level;
  std::string text;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, page_notification& x) {
  return f(caf::meta::type_name("stagehand::page_notification"), x.page,
           x.level, x.text);
}

} // namespace stagehand
