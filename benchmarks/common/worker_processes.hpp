#pragma once
// `stagehand worker` processes for the distributed scenario: start one,
// signal it, and kill and reap it when the benchmark is done with it.

#include <filesystem>
#include <string>
#include <vector>

#include <sys/types.h>

namespace stagehand::bench {

/// Where CMake built the `stagehand` tool; defined in a file CMake generates,
/// so that no other object depends on the path of the build dir.
extern const char* const stagehand_cli_path;

/// A directory of its own under the system's temp dir, removed with its
/// contents when this goes: a worker's data dir, or certificates.
class temp_dir {
public:
  explicit temp_dir(const std::string& prefix);
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir();

  const std::filesystem::path& path() const {
    return path_;
  }

private:
  std::filesystem::path path_;
};

/// One `stagehand worker DOOR` child process named `name`, with a data dir of
/// its own, its standard output discarded and its log (standard error) kept
/// in a file for the message of a failed join. It dies with the thread that
/// started it (PR_SET_PDEATHSIG), so start it from the main thread: then a
/// crashed run leaves no worker behind. It is killed and reaped when this
/// object goes, even if it was stopped.
class worker_process {
public:
  /// Starts the process; throws `std::runtime_error` if it cannot.
  worker_process(const std::string& door, std::string name,
                 const std::vector<std::string>& options = {});

  worker_process(const worker_process&) = delete;
  worker_process& operator=(const worker_process&) = delete;

  ~worker_process();

  const std::string& name() const {
    return name_;
  }

  /// Sends `sig` (SIGKILL for a crash, SIGSTOP for a frozen node).
  void signal(int sig);

  /// True once the process has ended (and was reaped).
  bool ended();

  /// What the worker logged so far, for error messages.
  std::string log() const;

private:
  temp_dir data_;
  std::string name_;
  pid_t pid_ = -1;
};

} // namespace stagehand::bench
