#include "core/log.hpp"

#include <pthread.h>

#include <spdlog/async_logger.h>
#include <spdlog/details/thread_pool.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace stagehand {

namespace {

/// The one logging thread, started on first use. It lives until the static
/// objects are destroyed at exit, and its destructor drains the queue before
/// it joins the thread, so that a clean exit loses no line.
std::shared_ptr<spdlog::details::thread_pool> log_thread() {
  static auto pool = std::make_shared<spdlog::details::thread_pool>(
    log_queue_size, 1,
    [] { pthread_setname_np(pthread_self(), "stagehand.log"); });
  return pool;
}

} // namespace

std::shared_ptr<spdlog::logger> make_logger(const std::string& level) {
  return make_logger(level, std::make_shared<spdlog::sinks::stderr_sink_mt>());
}

std::shared_ptr<spdlog::logger> make_logger(const std::string& level,
                                            spdlog::sink_ptr sink) {
  auto log = std::make_shared<spdlog::async_logger>(
    "stagehand", std::move(sink), log_thread(),
    spdlog::async_overflow_policy::block);
  log->set_pattern("%Y-%m-%dT%H:%M:%S.%e level=%l %v");
  log->set_level(spdlog::level::from_str(level));
  return log;
}

} // namespace stagehand
