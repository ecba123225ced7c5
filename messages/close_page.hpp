#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/cancel_reason.hpp"

namespace stagehand {

/// Closes a page; its tasks are cancelled for the given reason.
struct close_page {
  cancel_reason reason = cancel_reason::page_closed;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, close_page& x) {
  return f(caf::meta::type_name("stagehand::close_page"), x.reason);
}

} // namespace stagehand
