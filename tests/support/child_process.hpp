#pragma once

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace stagehand::test {

/// A program the test runs as a child process: the one helper for every
/// test that starts a process (the `stagehand` tool, or this test binary as
/// another node). Its standard output and error are the test's to read; the
/// test can wait for a line or for the exit, each with a deadline that fails
/// the test with a message and what the process printed, and send it any
/// signal (SIGKILL for a crash, SIGSTOP for a frozen node, SIGTERM for a
/// shutdown). It is always killed and reaped when this object goes.
class child_process {
public:
  using clock = std::chrono::steady_clock;

  /// Runs `args` (the program first), with `env` added to the environment.
  explicit child_process(std::vector<std::string> args,
                         std::vector<std::pair<std::string, std::string>> env
                         = {});

  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  /// Kills (SIGKILL, after SIGCONT) and reaps the process if it still runs.
  ~child_process();

  pid_t pid() const {
    return pid_;
  }

  /// Sends `sig` and returns at once.
  void signal(int sig);

  /// Sends SIGSTOP and returns once every thread of the process has stopped
  /// (a frozen node): `kill` alone returns before that, and a thread still
  /// running could answer one more message.
  void freeze();

  /// Sends `sig` and waits for the process to end, 30 s at most; then it
  /// kills the process and fails the test.
  /// @returns its exit code, or -1 if a signal ended it.
  int stop(int sig);

  /// Waits for the process to end by itself within `limit`; fails the test
  /// naming `what` (and the output so far) if it does not.
  /// @returns its exit code, or -1 if a signal ended it.
  int wait_exit(std::chrono::milliseconds limit, const std::string& what);

  /// The next line the process prints on standard output, without its
  /// newline; fails the test if none comes within `limit`.
  std::string read_line(std::chrono::milliseconds limit
                        = std::chrono::seconds(30));

  /// Waits until standard output or error contains `text`, within `limit`;
  /// fails the test naming `what` and showing the output otherwise.
  void wait_for_output(const std::string& text, std::chrono::milliseconds limit,
                       const std::string& what);

  /// Everything printed so far on standard output and on standard error.
  std::string out() const;
  std::string err() const;

  /// Both, labelled, for failure messages.
  std::string output() const;

private:
  /// Drains both pipes into `out_` and `err_` until both close, so that a
  /// child that logs much never blocks on a full pipe.
  void drain(int out_fd, int err_fd);

  /// Reaps the process if it has ended; true if it has.
  bool reap(int flags);

  std::string name_;
  pid_t pid_ = -1;
  int status_ = 0;
  mutable std::mutex mtx_;
  std::condition_variable grew_;
  std::string out_;
  std::string err_;
  bool closed_ = false;
  std::size_t read_upto_ = 0; // of out_, for read_line
  std::thread reader_;
};

} // namespace stagehand::test
