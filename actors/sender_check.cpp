#include "actors/sender_check.hpp"

#include <caf/deep_to_string.hpp>

namespace stagehand {

void log_refused(const services& svc, const char* receiver,
                 const char* message, const caf::strong_actor_ptr& sender) {
  auto from = sender == nullptr
                ? std::string{"anonymous"}
                : std::to_string(sender->id()) + "@" + to_string(sender->node());
  svc.log->warn("actor={} message={} sender={} event=forged_message_refused",
                receiver, message, from);
}

} // namespace stagehand
