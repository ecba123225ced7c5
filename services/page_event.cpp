#include "services/page_event.hpp"

namespace stagehand {

std::string to_string(page_event::kind x) {
  switch (x) {
  case page_event::kind::enqueued:
    return "enqueued";
  case page_event::kind::enqueue_failed:
    return "enqueue_failed";
  case page_event::kind::started:
    return "started";
  case page_event::kind::completed:
    return "completed";
  case page_event::kind::error:
    return "error";
  case page_event::kind::notification:
    return "notification";
  case page_event::kind::cancelled:
    return "cancelled";
  }
  return "notification";
}

} // namespace stagehand
