#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

namespace stagehand {

/// The runtime's logger: stderr, one line per event, with structured
/// `key=value` fields (session_type, session_id, page_id, task_id, ...), so
/// that logs can be filtered per session or task. Events from child sessions
/// carry `session_type=ChildSession`, those from page triggers
/// `session_type=Background`, as the platform's event log tags them.
std::shared_ptr<spdlog::logger> make_logger(const std::string& level);

} // namespace stagehand
