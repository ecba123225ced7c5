#pragma once

#include <caf/expected.hpp>

#include "messages/ids.hpp"
#include "messages/placement.hpp"
#include "services/services.hpp"

namespace stagehand {

/// Where work on `codeunit` runs: the node table's pick (which counts it
/// there), or, in a runtime without one, this process if it has the
/// codeunit. The one rule that pages, supervisors and the background session
/// manager place by.
/// @returns `unknown_codeunit` naming it if no allowed live node has it.
caf::expected<placement> place_work(const services& svc, codeunit_id codeunit);

/// Whether `place_work` would find a node for the codeunit now.
bool can_place_work(const services& svc, codeunit_id codeunit);

} // namespace stagehand
