// Tests core/log.hpp: the logger hands lines to its own thread, so a sink
// that stalls does not stall the caller; a burst larger than the queue makes
// callers wait rather than lose lines; and a clean exit writes every line,
// checked on the real `stagehand` binary, whose last line is the runtime's
// shutdown (`runtime_shutdown`, never `server_shutdown`: there is no server).
#include <boost/test/unit_test.hpp>

#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <future>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/sinks/base_sink.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/log.hpp"
#include "tests/support/temp_data_dir.hpp"
#include "tests/support/build_paths.hpp"

using namespace stagehand;
using namespace std::chrono_literals;

namespace {

/// A sink that stalls, like stderr into a pipe nobody reads, until the test
/// opens it; then it keeps the lines.
class gated_sink : public spdlog::sinks::base_sink<std::mutex> {
public:
  void open() {
    std::lock_guard<std::mutex> guard{gate_mtx_};
    open_ = true;
    gate_.notify_all();
  }

  std::vector<std::string> lines() {
    std::lock_guard<std::mutex> guard{mutex_};
    return lines_;
  }

  /// Waits up to 10 s for `n` lines.
  bool wait_for(std::size_t n) {
    auto until = std::chrono::steady_clock::now() + 10s;
    while (lines().size() < n)
      if (std::chrono::steady_clock::now() > until)
        return false;
      else
        std::this_thread::sleep_for(1ms);
    return true;
  }

protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    {
      std::unique_lock<std::mutex> guard{gate_mtx_};
      gate_.wait(guard, [this] { return open_; });
    }
    lines_.emplace_back(msg.payload.data(), msg.payload.size());
  }

  void flush_() override {}

private:
  std::mutex gate_mtx_;
  std::condition_variable gate_;
  bool open_ = false;
  std::vector<std::string> lines_;
};

/// Logs `n` numbered lines on a thread of its own.
std::future<void> log_lines(std::shared_ptr<spdlog::logger> log,
                            std::size_t n) {
  return std::async(std::launch::async, [log, n] {
    for (std::size_t i = 0; i < n; ++i)
      log->info("line={}", i);
  });
}

bool numbered_in_order(const std::vector<std::string>& lines) {
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (lines[i] != "line=" + std::to_string(i))
      return false;
  return true;
}

/// Threads of process `pid` (a zombie has one), 0 once it is reaped.
int threads_of(pid_t pid) {
  std::ifstream status{"/proc/" + std::to_string(pid) + "/status"};
  for (std::string line; std::getline(status, line);)
    if (line.rfind("Threads:", 0) == 0)
      return std::stoi(line.substr(8));
  return 0;
}

/// Reads `fd` until it ends, `until` passes or, if `needle` is given, what
/// was read holds it; returns what was read.
std::string read_until(int fd, std::chrono::steady_clock::time_point until,
                       const std::string& needle = "") {
  std::string text;
  while (needle.empty() || text.find(needle) == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                  until - std::chrono::steady_clock::now())
                  .count();
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0)
      break;
    char buf[4096];
    auto n = ::read(fd, buf, sizeof(buf));
    if (n <= 0)
      break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  return text;
}

} // namespace

BOOST_AUTO_TEST_SUITE(core_log)

BOOST_AUTO_TEST_CASE(a_stalled_sink_does_not_stall_the_caller) {
  auto sink = std::make_shared<gated_sink>();
  auto log = make_logger("info", sink);
  auto done = log_lines(log, 100);
  auto returned = done.wait_for(5s) == std::future_status::ready;
  sink->open();
  BOOST_CHECK_MESSAGE(returned, "logging waited for a stalled sink");
  done.wait();
  BOOST_REQUIRE(sink->wait_for(100));
  BOOST_CHECK(numbered_in_order(sink->lines()));
}

BOOST_AUTO_TEST_CASE(a_burst_beyond_the_queue_waits_and_loses_no_line) {
  auto sink = std::make_shared<gated_sink>();
  auto log = make_logger("info", sink);
  auto total = 2 * log_queue_size + 100;
  auto done = log_lines(log, total);
  // The queue fills while the sink stalls; the caller must wait for room.
  auto waited = done.wait_for(300ms) == std::future_status::timeout;
  sink->open();
  done.wait();
  BOOST_CHECK_MESSAGE(waited, "lines beyond the queue did not wait");
  BOOST_REQUIRE_MESSAGE(sink->wait_for(total),
                        "only " << sink->lines().size() << " of " << total
                                << " lines arrived");
  BOOST_CHECK(numbered_in_order(sink->lines()));
}

BOOST_AUTO_TEST_CASE(a_clean_exit_writes_every_line) {
  // `stagehand play` logs a few hundred lines into a small pipe the test
  // leaves unread until the run is over, so that they are still queued when
  // main returns; the exit must wait for them.
  test::temp_data_dir dir;
  auto scenario = (dir.path / "many.jsonl").string();
  {
    std::ofstream out{scenario};
    for (int i = 0; i < 200; ++i)
      out << R"({"do":"start_session","session":"s)" << i
          << R"(","codeunit":50105})" << '\n';
    out << R"({"do":"wait_idle"})" << '\n';
  }
  int err[2];
  int out[2];
  BOOST_REQUIRE(::pipe(err) == 0 && ::pipe(out) == 0);
  ::fcntl(err[1], F_SETPIPE_SZ, 4096);
  auto pid = ::fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(err[1], STDERR_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    for (auto fd : {err[0], err[1], out[0], out[1]})
      ::close(fd);
    auto data_dir = "--stagehand.data-dir=" + dir.path.string();
    ::execl(test::cli_path, test::cli_path, "--stagehand.log-level=debug",
            data_dir.c_str(), "play", scenario.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(err[1]);
  ::close(out[1]);
  auto until = std::chrono::steady_clock::now() + 30s;
  // Stderr stays unread until the run has printed its summary and then shut
  // its runtime down, leaving the main thread and the log thread, stalled on
  // the full pipe: main's work is done and lines are still queued. A child
  // that dropped them at exit has gone by then, or is going. Not REQUIREs:
  // the child must still be reaped below.
  auto summary = read_until(out[0], until, "\"event\":\"summary\"");
  BOOST_CHECK_MESSAGE(summary.find("\"event\":\"summary\"")
                        != std::string::npos,
                      "no summary within 30 s; stdout: " << summary);
  while (threads_of(pid) > 2 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(1ms);
  BOOST_CHECK_MESSAGE(threads_of(pid) <= 2,
                      "the runtime did not shut down within 30 s");
  auto text = read_until(err[0], until);
  ::close(err[0]);
  ::close(out[0]);
  int status = 0;
  ::kill(pid, SIGKILL); // only if it outlived the deadline
  ::waitpid(pid, &status, 0);
  BOOST_REQUIRE_MESSAGE(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                        "stagehand play failed: " << text);
  std::istringstream lines_in{text};
  std::vector<std::string> lines;
  for (std::string line; std::getline(lines_in, line);)
    lines.push_back(line);
  BOOST_REQUIRE_GT(text.size(), 4096u);
  // The runtime logs its shutdown last, just before main returns.
  BOOST_CHECK_MESSAGE(lines.back().find("event=runtime_shutdown stopped=")
                        != std::string::npos,
                      "last line: " << lines.back());
  BOOST_CHECK(text.find("server_shutdown") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
