#include "services/session_notice.hpp"

#include <exception>

#include <spdlog/logger.h>

namespace stagehand {

void tell(const session_observer& observer, const session_notice& notice,
          spdlog::logger& log) {
  if (!observer)
    return;
  try {
    observer(notice);
  } catch (const std::exception& e) {
    log.warn("session_type=Background session_id={} event=observer_error "
             "text=\"{}\"",
             notice.session, e.what());
  } catch (...) {
    log.warn("session_type=Background session_id={} event=observer_error "
             "text=\"not a std::exception\"",
             notice.session);
  }
}

} // namespace stagehand
