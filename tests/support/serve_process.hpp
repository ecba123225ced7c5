#pragma once

#include <chrono>
#include <csignal>
#include <cstdint>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

namespace stagehand::test {

/// `build/stagehand serve` as a child process of the test: started with
/// options, ready once it printed `listening on <url>`, and ended by a
/// signal the test chooses (SIGKILL for a crash, SIGTERM for a shutdown).
class serve_process {
public:
  explicit serve_process(const std::vector<std::string>& options) {
    int fds[2];
    BOOST_REQUIRE(::pipe(fds) == 0);
    pid_ = ::fork();
    BOOST_REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<std::string> args{STAGEHAND_CLI};
      args.insert(args.end(), options.begin(), options.end());
      args.emplace_back("serve");
      std::vector<char*> argv;
      for (auto& a : args)
        argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = fds[0];
    read_banner();
  }

  ~serve_process() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(out_);
  }

  std::uint16_t port() const {
    return port_;
  }

  const std::string& url() const {
    return url_;
  }

  /// Sends `sig` and waits for the process to end.
  /// @returns its exit code, or -1 if a signal ended it.
  int stop(int sig) {
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
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
      BOOST_REQUIRE_MESSAGE(left > 0, "stagehand serve printed no line; so "
                                      "far: "
                                        << line);
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left)) <= 0)
        continue;
      char c = 0;
      BOOST_REQUIRE_MESSAGE(::read(out_, &c, 1) == 1,
                            "stagehand serve ended; so far: " << line);
      line += c;
    }
    line.pop_back();
    return line;
  }

private:
  void read_banner() {
    static const std::string prefix = "listening on ";
    auto line = read_line();
    BOOST_REQUIRE_EQUAL(line.rfind(prefix, 0), 0u);
    url_ = line.substr(prefix.size());
    port_ = static_cast<std::uint16_t>(
      std::stoi(url_.substr(url_.rfind(':') + 1)));
  }

  pid_t pid_ = -1;
  int out_ = -1;
  std::string url_;
  std::uint16_t port_ = 0;
};

} // namespace stagehand::test
