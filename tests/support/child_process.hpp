#pragma once

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

namespace stagehand::test {

/// A program the test runs as a child process: its standard output is the
/// test's to read line by line, and it ends by a signal the test chooses
/// (SIGKILL for a crash, SIGTERM for a shutdown), or at the latest when this
/// object goes.
class child_process {
public:
  /// Runs `args` (the program first), with `env` added to the environment.
  explicit child_process(std::vector<std::string> args,
                         std::vector<std::pair<std::string, std::string>> env
                         = {})
    : name_(args.at(0)) {
    int fds[2];
    BOOST_REQUIRE(::pipe(fds) == 0);
    pid_ = ::fork();
    BOOST_REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      for (auto& [key, value] : env)
        ::setenv(key.c_str(), value.c_str(), 1);
      std::vector<char*> argv;
      for (auto& a : args)
        argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = fds[0];
  }

  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  ~child_process() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(out_);
  }

  /// Sends `sig` and waits for the process to end, 30 s at most; then it
  /// kills the process and fails the test.
  /// @returns its exit code, or -1 if a signal ended it.
  int stop(int sig) {
    ::kill(pid_, sig);
    int status = 0;
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() >= until) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        BOOST_FAIL(name_ << " did not end within 30 s of signal " << sig);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  /// The next line the process prints, without its newline; fails the
  /// test if none comes within 30 s.
  std::string read_line() {
    std::string line;
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (line.empty() || line.back() != '\n') {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    until - std::chrono::steady_clock::now())
                    .count();
      BOOST_REQUIRE_MESSAGE(left > 0,
                            name_ << " printed no line; so far: " << line);
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left)) <= 0)
        continue;
      char c = 0;
      BOOST_REQUIRE_MESSAGE(::read(out_, &c, 1) == 1,
                            name_ << " ended; so far: " << line);
      line += c;
    }
    line.pop_back();
    return line;
  }

private:
  std::string name_;
  pid_t pid_ = -1;
  int out_ = -1;
};

} // namespace stagehand::test
