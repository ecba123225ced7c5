#include "messages/cancel_reason.hpp"

namespace stagehand {

std::string to_string(cancel_reason x) {
  switch (x) {
  case cancel_reason::record_changed:
    return "record_changed";
  case cancel_reason::page_closed:
    return "page_closed";
  case cancel_reason::session_closed:
    return "session_closed";
  case cancel_reason::requested:
    return "requested";
  case cancel_reason::subscriber_lost:
    return "subscriber_lost";
  }
  return "requested";
}

} // namespace stagehand
