#include "messages/task_error.hpp"

namespace stagehand {

task_error task_error::timeout() {
  return {timeout_error_code,
          "Child Session task was terminated because of a timeout.", ""};
}

} // namespace stagehand
