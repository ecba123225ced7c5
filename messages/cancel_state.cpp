#include "messages/cancel_state.hpp"

namespace stagehand {

std::string to_string(cancel_state x) {
  switch (x) {
  case cancel_state::requested:
    return "requested";
  case cancel_state::acknowledged:
    return "acknowledged";
  case cancel_state::forced:
    return "forced";
  }
  return "requested";
}

} // namespace stagehand
