#include "apps/scenario_workers.hpp"

#include <chrono>
#include <csignal>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include "apps/scenario_command.hpp"
#include "services/node_table.hpp"

extern char** environ;

namespace stagehand::apps {

using nlohmann::json;

namespace {

/// How long `start_worker` waits for the node to be live.
constexpr auto join_limit = std::chrono::seconds(10);

/// Runs `args` with its standard output on /dev/null: a worker's `joined`
/// line must not mix with the player's JSON Lines. Its log stays on stderr.
pid_t spawn_quiet(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null",
                                   O_WRONLY, 0);
  pid_t pid = -1;
  auto rc = posix_spawn(&pid, "/proc/self/exe", &actions, nullptr,
                        argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

int signal_named(const std::string& name) {
  if (name == "KILL")
    return SIGKILL;
  if (name == "STOP")
    return SIGSTOP;
  if (name == "TERM")
    return SIGTERM;
  throw malformed_line{"field \"signal\" must be \"KILL\", \"STOP\" or "
                       "\"TERM\", not \""
                       + name + "\""};
}

bool live(runtime& rt, const std::string& node) {
  auto entry = rt.nodes().find(node);
  return entry && entry->live;
}

} // namespace

scenario_workers::scenario_workers(runtime& rt, std::string data_dir,
                                   printer print)
  : rt_(rt), data_dir_(std::move(data_dir)), print_(std::move(print)) {
  watcher_ = std::thread{[this] { watch(); }};
}

void scenario_workers::finish() {
  if (!watcher_.joinable())
    return;
  stopping_ = true;
  watcher_.join();
  report_lost();
}

scenario_workers::~scenario_workers() {
  finish();
  for (auto& [node, pid] : pids_) {
    ::kill(pid, SIGCONT);
    ::kill(pid, SIGTERM);
  }
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  for (auto& [node, pid] : pids_) {
    while (waitpid(pid, nullptr, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() >= until) {
        ::kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
}

void scenario_workers::start(const json& cmd) {
  auto node = text_field(cmd, "node");
  auto capacity = cmd.contains("capacity") ? non_negative_field(cmd, "capacity")
                                           : std::int64_t{0};
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (pids_.count(node) > 0)
      throw malformed_line{"worker \"" + node + "\" was already started"};
  }
  auto fail = [&](const std::string& reason) {
    print_({{"event", "worker_start_failed"}, {"node", node},
            {"reason", reason}});
  };
  if (port_ == 0) {
    auto port = rt_.listen_for_workers(0);
    if (!port)
      return fail(describe(port.error()));
    port_ = *port;
  }
  std::vector<std::string> args{"stagehand", "--stagehand.node-name=" + node,
                                "--stagehand.data-dir=" + data_dir_};
  if (capacity > 0)
    args.push_back("--stagehand.worker-capacity=" + std::to_string(capacity));
  args.push_back("worker");
  args.push_back("127.0.0.1:" + std::to_string(port_));
  auto pid = spawn_quiet(args);
  if (pid < 0)
    return fail("cannot start the stagehand worker process");
  {
    std::lock_guard<std::mutex> guard{mtx_};
    pids_.emplace(node, pid);
  }
  auto until = std::chrono::steady_clock::now() + join_limit;
  while (!live(rt_, node)) {
    bool ended = waitpid(pid, nullptr, WNOHANG) == pid;
    if (ended || std::chrono::steady_clock::now() >= until) {
      // A slow one must not join later, unknown to the player.
      if (!ended && ::kill(pid, SIGKILL) == 0)
        waitpid(pid, nullptr, 0);
      std::lock_guard<std::mutex> guard{mtx_};
      pids_.erase(node);
      return fail("the worker did not join within 10 s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  std::lock_guard<std::mutex> guard{mtx_};
  joined_.insert(node);
  print_({{"event", "worker_joined"}, {"node", node}});
}

void scenario_workers::kill(const json& cmd) {
  auto node = text_field(cmd, "node");
  auto name = text_field(cmd, "signal");
  auto sig = signal_named(name);
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = pids_.find(node);
  if (i == pids_.end())
    throw malformed_line{"unknown worker \"" + node + "\""};
  ::kill(i->second, sig);
  print_({{"event", "worker_killed"}, {"node", node}, {"signal", name}});
}

void scenario_workers::report_lost() {
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& node : joined_)
    if (lost_.count(node) == 0 && !live(rt_, node)) {
      lost_.insert(node);
      print_({{"event", "worker_lost"}, {"node", node}});
    }
}

void scenario_workers::watch() {
  // Polls the node table: the door marks a node lost on CAF's down message,
  // and a poll every few milliseconds is well inside the detection time.
  while (!stopping_) {
    report_lost();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

} // namespace stagehand::apps
