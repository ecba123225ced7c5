#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include <spdlog/common.h>
#include <spdlog/logger.h>

namespace stagehand {

/// The runtime's logger: stderr, one line per event, with structured
/// `key=value` fields (session_type, session_id, page_id, task_id, ...), so
/// that logs can be filtered per session or task. Events from child sessions
/// carry `session_type=ChildSession`, those from page triggers
/// `session_type=Background`, as the platform's event log tags them.
///
/// The logger is asynchronous: a call formats the line and queues it, and one
/// process-wide thread writes the queue out, so that no actor, HTTP thread or
/// codeunit waits on a slow stderr (a pipe nobody reads fast enough, a
/// terminal, a log shipper that stalls). The queue holds `log_queue_size`
/// lines. When it is full, callers wait for room (spdlog's `block` policy)
/// rather than drop lines: the log is the record of what happened to each
/// session and operation, and a record with silent holes cannot be trusted;
/// a full queue means stderr is slower than the log rate for thousands of
/// lines, and slowing the producers is then the honest answer. At a clean
/// exit the thread writes every queued line before the process ends.
std::shared_ptr<spdlog::logger> make_logger(const std::string& level);

/// The same, writing to `sink` instead of stderr (for tests).
std::shared_ptr<spdlog::logger> make_logger(const std::string& level,
                                            spdlog::sink_ptr sink);

/// Lines the logging thread's queue holds before callers wait.
inline constexpr std::size_t log_queue_size = 8192;

} // namespace stagehand
