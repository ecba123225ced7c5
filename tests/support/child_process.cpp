#include "tests/support/child_process.hpp"

#include <algorithm>
#include <cstdlib>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

namespace stagehand::test {

child_process::child_process(
  std::vector<std::string> args,
  std::vector<std::pair<std::string, std::string>> env)
  : name_(args.at(0)) {
  int out[2];
  int err[2];
  BOOST_REQUIRE(::pipe(out) == 0);
  BOOST_REQUIRE(::pipe(err) == 0);
  pid_ = ::fork();
  BOOST_REQUIRE(pid_ >= 0);
  if (pid_ == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    for (int fd : {out[0], out[1], err[0], err[1]})
      ::close(fd);
    // The test may block signals for its own threads; the child starts
    // with none blocked.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (auto& [key, value] : env)
      ::setenv(key.c_str(), value.c_str(), 1);
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(err[1]);
  if (auto i = name_.rfind('/'); i != std::string::npos)
    name_ = name_.substr(i + 1);
  name_ += " (pid " + std::to_string(pid_) + ")";
  reader_ = std::thread{[this, o = out[0], e = err[0]] { drain(o, e); }};
}

child_process::~child_process() {
  if (pid_ > 0) {
    ::kill(pid_, SIGCONT);
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  // The pipes close with the process (and any child it left holds them
  // only until it ends too).
  reader_.join();
}

void child_process::drain(int out_fd, int err_fd) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open = 2;
  char buf[4096];
  while (open > 0) {
    if (::poll(fds, 2, -1) < 0)
      continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0)
        continue;
      auto n = ::read(fds[i].fd, buf, sizeof(buf));
      if (n <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
        continue;
      }
      std::lock_guard<std::mutex> guard{mtx_};
      (i == 0 ? out_ : err_).append(buf, static_cast<std::size_t>(n));
      grew_.notify_all();
    }
  }
  std::lock_guard<std::mutex> guard{mtx_};
  closed_ = true;
  grew_.notify_all();
}

void child_process::signal(int sig) {
  BOOST_REQUIRE_MESSAGE(pid_ > 0, name_ << " has already ended");
  ::kill(pid_, sig);
}

void child_process::freeze() {
  signal(SIGSTOP);
  int status = 0;
  // The group stop is complete when the parent hears of it.
  BOOST_REQUIRE_MESSAGE(::waitpid(pid_, &status, WUNTRACED) == pid_
                          && WIFSTOPPED(status),
                        name_ << " did not stop");
}

bool child_process::reap(int flags) {
  if (pid_ <= 0)
    return true;
  if (::waitpid(pid_, &status_, flags) != pid_)
    return false;
  pid_ = -1;
  return true;
}

int child_process::stop(int sig) {
  signal(sig);
  return wait_exit(std::chrono::seconds(30),
                   "end after signal " + std::to_string(sig));
}

int child_process::wait_exit(std::chrono::milliseconds limit,
                             const std::string& what) {
  auto until = clock::now() + limit;
  while (!reap(WNOHANG)) {
    if (clock::now() >= until) {
      ::kill(pid_, SIGCONT);
      ::kill(pid_, SIGKILL);
      reap(0);
      BOOST_FAIL(name_ << " did not " << what << " within " << limit.count()
                       << " ms;" << output());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  // What it printed before it ended: its pipes close with it.
  std::unique_lock<std::mutex> guard{mtx_};
  grew_.wait_until(guard, until + std::chrono::seconds(5),
                   [this] { return closed_; });
  return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
}

std::string child_process::read_line(std::chrono::milliseconds limit) {
  std::unique_lock<std::mutex> guard{mtx_};
  auto has_line = [this] {
    return out_.find('\n', read_upto_) != std::string::npos || closed_;
  };
  if (!grew_.wait_for(guard, limit, has_line)) {
    guard.unlock();
    BOOST_FAIL(name_ << " printed no line within " << limit.count() << " ms;"
                     << output());
  }
  auto nl = out_.find('\n', read_upto_);
  if (nl == std::string::npos) {
    guard.unlock();
    BOOST_FAIL(name_ << " ended before it printed a line;" << output());
  }
  auto line = out_.substr(read_upto_, nl - read_upto_);
  read_upto_ = nl + 1;
  return line;
}

void child_process::wait_for_output(const std::string& text,
                                    std::chrono::milliseconds limit,
                                    const std::string& what) {
  std::unique_lock<std::mutex> guard{mtx_};
  auto found = [&] {
    return out_.find(text) != std::string::npos
           || err_.find(text) != std::string::npos || closed_;
  };
  grew_.wait_for(guard, limit, found);
  auto seen = out_.find(text) != std::string::npos
              || err_.find(text) != std::string::npos;
  guard.unlock();
  BOOST_REQUIRE_MESSAGE(seen, name_ << ": " << what << ": no \"" << text
                                    << "\" within " << limit.count()
                                    << " ms;" << output());
}

std::string child_process::out() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return out_;
}

std::string child_process::err() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return err_;
}

std::string child_process::output() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return "\n--- stdout of " + name_ + ":\n" + out_ + "\n--- stderr:\n" + err_;
}

} // namespace stagehand::test
