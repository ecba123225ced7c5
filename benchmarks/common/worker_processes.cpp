#include "benchmarks/common/worker_processes.hpp"

#include <atomic>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace stagehand::bench {

temp_dir::temp_dir(const std::string& prefix) {
  static std::atomic<int> next{0};
  path_ = std::filesystem::temp_directory_path()
          / ("stagehand-bench-" + prefix + "-" + std::to_string(::getpid())
             + "-" + std::to_string(next++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

worker_process::worker_process(const std::string& door, std::string name,
                               const std::vector<std::string>& options)
  : data_("worker"), name_(std::move(name)) {
  std::vector<std::string> args{stagehand_cli_path,
                                "--stagehand.log-level=warn",
                                "--stagehand.data-dir=" + data_.path().string(),
                                "--stagehand.node-name=" + name_};
  args.insert(args.end(), options.begin(), options.end());
  args.emplace_back("worker");
  args.push_back(door);
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  auto log_path = (data_.path() / "worker.log").string();
  // Opened before the fork: between fork and exec only async-signal-safe
  // calls are allowed in a process with threads.
  int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                      0600);
  auto parent = ::getpid();
  pid_ = ::fork();
  if (pid_ == 0) {
    // The worker must not outlive a benchmark that crashed or was stopped
    // by ^C; a SIGSTOPped worker would otherwise stay frozen for ever.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent)
      ::_exit(127);
    ::dup2(null_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  auto fork_errno = errno;
  ::close(null_fd);
  ::close(log_fd);
  if (pid_ < 0)
    throw std::runtime_error("cannot start " + std::string{stagehand_cli_path}
                             + ": " + std::strerror(fork_errno));
}

worker_process::~worker_process() {
  if (pid_ > 0) {
    // SIGKILL ends a stopped process too; SIGCONT first keeps its state
    // tidy for anyone watching.
    ::kill(pid_, SIGCONT);
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

void worker_process::signal(int sig) {
  if (pid_ > 0)
    ::kill(pid_, sig);
}

bool worker_process::ended() {
  if (pid_ <= 0)
    return true;
  if (::waitpid(pid_, nullptr, WNOHANG) != pid_)
    return false;
  pid_ = -1;
  return true;
}

std::string worker_process::log() const {
  std::ifstream in{data_.path() / "worker.log"};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace stagehand::bench
