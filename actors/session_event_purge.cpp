#include "actors/session_event_purge.hpp"

#include "core/errc.hpp"
#include "data/session_event_log.hpp"

namespace stagehand {

void purge_session_events_later(const services& svc) {
  if (!svc.companies)
    return;
  auto cutoff = std::chrono::system_clock::now() - svc.sessions.event_retention;
  svc.executor->post([companies = svc.companies, cutoff,
                      batch = svc.sessions.purge_batch, log = svc.log] {
    for (auto& name : companies->open_names()) {
      auto deleted = purge_session_events(*companies, name, cutoff, batch);
      if (!deleted)
        log->warn("company=\"{}\" event=session_event_purge_failed "
                  "reason=\"{}\"",
                  name, describe(deleted.error()));
      else if (*deleted > 0)
        log->info("company=\"{}\" event=session_events_purged rows={}", name,
                  *deleted);
    }
  });
}

} // namespace stagehand
