#pragma once

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/attach_page.hpp"
#include "messages/close_session.hpp"
#include "messages/page_detached.hpp"

namespace stagehand {

/// The parent (client) session's boundary: it owns its pages and closes them,
/// and its supervisor, when it closes.
using parent_session_actor
  = caf::typed_actor<caf::reacts_to<attach_page>, caf::reacts_to<page_detached>,
                     caf::reacts_to<close_session>>;

} // namespace stagehand
