#include "messages/task_error.hpp"

namespace stagehand {

task_error task_error::timeout() {
  return {timeout_error_code,
          "Child Session task was terminated because of a timeout.", ""};
}

task_error task_error::node_lost(const std::string& node) {
  return {node_lost_error_code,
          "Child Session task was terminated because node " + node
            + " was lost.",
          ""};
}

} // namespace stagehand
