#pragma once

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/logger.h>
#include <spdlog/sinks/base_sink.h>

namespace stagehand::test {

/// Keeps every line logged to it, formatted as `level=<level> <message>`,
/// for tests that check what a component logs.
class capture_sink : public spdlog::sinks::base_sink<std::mutex> {
public:
  /// A copy of the lines so far.
  std::vector<std::string> lines() {
    std::lock_guard<std::mutex> guard{mutex_};
    return lines_;
  }

  /// The lines so far that contain every one of `parts`.
  std::vector<std::string> matching(const std::vector<std::string>& parts) {
    std::vector<std::string> out;
    for (auto& line : lines())
      if (std::all_of(parts.begin(), parts.end(), [&](const std::string& p) {
            return line.find(p) != std::string::npos;
          }))
        out.push_back(line);
    return out;
  }

  /// Waits up to `timeout` for `n` lines in all; true if they arrived.
  bool wait_for_lines(std::size_t n, std::chrono::milliseconds timeout) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (lines().size() < n) {
      if (std::chrono::steady_clock::now() >= until)
        return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
  }

  /// Everything, one line each, for failure messages.
  std::string text() {
    std::string out;
    for (auto& line : lines())
      out += line + "\n";
    return out;
  }

protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    std::string line{formatted.data(), formatted.size()};
    while (!line.empty() && line.back() == '\n')
      line.pop_back();
    lines_.push_back(std::move(line));
  }

  void flush_() override {}

private:
  std::vector<std::string> lines_;
};

/// A synchronous logger at `level` into a new capture sink, with the
/// runtime's line format minus the timestamp.
inline std::shared_ptr<spdlog::logger>
capture_logger(const std::shared_ptr<capture_sink>& sink,
               spdlog::level::level_enum level = spdlog::level::debug) {
  auto log = std::make_shared<spdlog::logger>("capture", sink);
  log->set_pattern("level=%l %v");
  log->set_level(level);
  return log;
}

} // namespace stagehand::test
