#pragma once
// A coordinator runtime in the test process and `stagehand worker` processes
// that join it, for the tests of cluster/ (real processes on loopback).

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "runtime/runtime.hpp"
#include "services/node_table.hpp"
#include "tests/support/build_paths.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/config_args.hpp"
#include "tests/support/temp_data_dir.hpp"

namespace stagehand::test {

/// A runtime with its door open on a free loopback port.
struct coordinator_runtime {
  temp_data_dir data;
  config cfg;
  std::unique_ptr<runtime> rt;
  std::uint16_t port = 0;

  /// `args` are `--stagehand.*` options; `prepare` may change the config
  /// (register a message type, ...) before the runtime exists.
  template <class Prepare>
  coordinator_runtime(std::vector<std::string> args, Prepare prepare,
                      page_observer observer = {}) {
    args.push_back("--stagehand.data-dir=" + data.path.string());
    args.push_back("--stagehand.node-name=coordinator");
    if (std::none_of(args.begin(), args.end(), [](auto& a) {
          return a.rfind("--stagehand.log-level=", 0) == 0;
        }))
      args.push_back("--stagehand.log-level=off");
    auto err = parse(cfg, args);
    BOOST_REQUIRE_MESSAGE(!err, config::render(err));
    prepare(cfg);
    cfg.enable_cluster();
    rt = std::make_unique<runtime>(cfg, std::move(observer));
    auto bound = rt->listen_for_workers(0);
    BOOST_REQUIRE_MESSAGE(bound, "listen_for_workers: "
                                   << (bound ? "" : describe(bound.error())));
    port = *bound;
  }

  explicit coordinator_runtime(std::vector<std::string> args = {})
    : coordinator_runtime(std::move(args), [](config&) {}) {}

  std::string door() const {
    return "127.0.0.1:" + std::to_string(port);
  }

  bool is_live(const std::string& node) const {
    auto entry = rt->nodes().find(node);
    return entry && entry->live;
  }

  /// Waits until `node` is lost; fails past `limit`.
  /// @returns how long after `since` that was seen.
  std::chrono::milliseconds
  lost_after(const std::string& node, std::chrono::steady_clock::time_point since,
             std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    auto until = since + limit;
    while (is_live(node)) {
      BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < until,
                            "the coordinator did not mark " << node
                              << " lost within " << limit.count() << " ms");
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - since);
  }
};

/// `stagehand worker DOOR` as a child process, named `name`, with a data
/// dir of its own and `options` before the command.
struct worker_process {
  temp_data_dir data;
  std::chrono::steady_clock::time_point started
    = std::chrono::steady_clock::now();
  child_process proc;

  worker_process(const std::string& door, const std::string& name,
                 std::vector<std::string> options = {})
    : proc(arguments(door, name, std::move(options))) {}

  /// Waits for the `joined` line; fails if it does not come.
  std::string joined(std::chrono::milliseconds limit
                     = std::chrono::seconds(20)) {
    auto line = proc.read_line(limit);
    BOOST_REQUIRE_MESSAGE(line.rfind("joined ", 0) == 0,
                          "not a joined line: " << line << proc.output());
    return line;
  }

  /// The `ms=` of the worker's `event=joined` log line: the join itself,
  /// without the process's start.
  long join_ms() const {
    auto err = proc.err();
    auto at = err.find("event=joined");
    if (at == std::string::npos)
      return -1;
    auto ms = err.find(" ms=", at);
    return ms == std::string::npos ? -1 : std::stol(err.substr(ms + 4));
  }

private:
  std::vector<std::string> arguments(const std::string& door,
                                     const std::string& name,
                                     std::vector<std::string> options) {
    std::vector<std::string> args{cli_path, "--stagehand.log-level=info",
                                  "--stagehand.data-dir=" + data.path.string(),
                                  "--stagehand.node-name=" + name};
    args.insert(args.end(), options.begin(), options.end());
    args.emplace_back("worker");
    args.push_back(door);
    return args;
  }
};

} // namespace stagehand::test
