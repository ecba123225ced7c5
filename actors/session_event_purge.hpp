#pragma once

#include "services/services.hpp"

namespace stagehand {

/// Deletes, on the blocking executor, the Session Event rows of every open
/// company that are older than `session-event-retention`, at
/// most one batch per company per call, so that a large backlog never holds
/// a company's writer for long.
void purge_session_events_later(const services& svc);

} // namespace stagehand
