#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"

namespace stagehand {

/// Worker to manager: the codeunit of this stopped background session now
/// has its cancellation token set (or had already ended), so its slot may
/// go.
struct session_stop_acknowledged {
  session_id id = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f,
                                        session_stop_acknowledged& x) {
  return f(caf::meta::type_name("stagehand::session_stop_acknowledged"), x.id);
}

} // namespace stagehand
