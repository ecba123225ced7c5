#include "messages/session_outcome.hpp"

namespace stagehand {

std::string to_string(session_outcome::kind x) {
  switch (x) {
  case session_outcome::kind::completed:
    return "completed";
  case session_outcome::kind::failed:
    return "failed";
  case session_outcome::kind::stopped:
    return "stopped";
  case session_outcome::kind::timed_out:
    return "timed_out";
  }
  return "failed";
}

} // namespace stagehand
