#include "messages/session_outcome.hpp"

namespace stagehand {

session_outcome session_outcome::timed_out(caf::timespan timeout) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(timeout);
  return {kind::timed_out,
          {},
          {},
          "The session timed out after " + std::to_string(ms.count()) + " ms."};
}

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
