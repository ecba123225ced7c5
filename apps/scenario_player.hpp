#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/scenario_page.hpp"
#include "apps/scenario_workers.hpp"
#include "runtime/runtime.hpp"

namespace stagehand::apps {

/// Replays a scenario written as JSON Lines against a real runtime and prints
/// what happens as JSON Lines: the contract of `stagehand play`, which tests
/// outside this repository rely on (see docs/play.md).
class scenario_player {
public:
  /// Codeunit the player registers besides the samples: it starts a
  /// background session from inside a session (`ctx.start_session`) of
  /// codeunit `Codeunit` with the other parameters, labelled `Session`.
  static constexpr codeunit_id start_session_codeunit = 50190;

  scenario_player(config& cfg, std::ostream& out, std::ostream& err);

  /// Runs the scenario. @returns the exit code: 0; 1 if a `wait_idle` ran out
  /// of time; 2 for a malformed line (the run stops there).
  int run(std::istream& in);

  /// `stagehand help play`: the commands, their fields and the events.
  static std::string usage();

private:
  // -- commands ---------------------------------------------------------------

  void execute(const nlohmann::json& cmd);

  void open_session(const nlohmann::json& cmd);

  /// Runs one statement as an administrator session, in its own read-write
  /// transaction, creating the company if missing.
  void sql(const nlohmann::json& cmd);

  void open_page(const nlohmann::json& cmd);

  void enqueue(const nlohmann::json& cmd);

  void cancel(const nlohmann::json& cmd);

  void close_session(const std::string& label);

  void wait_idle(const nlohmann::json& cmd);

  /// `StartSession` as the scenario's administrator; the label names the
  /// background session in later commands and events.
  void start_session(const nlohmann::json& cmd);

  void stop_session(const nlohmann::json& cmd);

  /// `IsSessionActive`: prints whether the session is queued or running.
  void is_session_active(const nlohmann::json& cmd);

  /// The id of a background session a command or a codeunit started.
  /// @throws malformed_line for a label no session has.
  session_id background_session(const std::string& label);

  const page_handle& page(const nlohmann::json& cmd);

  // -- events -----------------------------------------------------------------

  /// Observer of the runtime: turns page events into JSON lines.
  void on_page_event(const page_event& ev);

  /// Observer of the runtime: turns background session events into lines.
  void on_session_notice(const session_notice& notice);

  /// Prints one event line, stamped with `t_ms`, and counts it (a
  /// `session_ended` also under `sessions_<outcome>`).
  void print(nlohmann::json ev);

  /// The last line: the counts of page tasks and background sessions, and
  /// the page tasks started on each node.
  void print_summary();

  /// `print` with `mtx_` already held.
  void print_locked(nlohmann::json ev);

  std::string page_label(page_id id);

  // -- state ------------------------------------------------------------------

  std::ostream& out_;
  std::ostream& err_;
  std::chrono::steady_clock::time_point start_;
  std::shared_ptr<task_behaviors> behaviors_
    = std::make_shared<task_behaviors>();
  std::map<std::string, session_handle> sessions_;
  std::map<std::string, page_handle> pages_;

  /// Guards what page actors touch through the observer.
  std::mutex mtx_;
  std::map<page_id, std::string> page_labels_;
  std::map<std::pair<std::string, std::string>, task_id> latest_task_;
  std::map<std::string, std::uint64_t> counts_;
  /// Page tasks started per node (`started` events by `node`), for the
  /// summary's `nodes`.
  std::map<std::string, std::uint64_t> started_on_;
  /// Background sessions by label, and the ids whose session_started line is
  /// out. Lines of a session the player is still starting (its label is in
  /// `starting_`) wait in `early_lines_`, since starting must not hold
  /// `mtx_` (the manager prints under it). A session no command started,
  /// one a codeunit started, is announced by its own `started` notice.
  std::map<std::string, session_id> background_sessions_;
  std::set<session_id> announced_;
  std::multiset<std::string> starting_;
  std::map<session_id, std::vector<nlohmann::json>> early_lines_;

  /// A `wait_idle` ran out of time: the run exits 1.
  bool timed_out_ = false;

  /// The player's data dir, which the workers it starts share.
  std::string data_dir_;

  /// After everything its observer uses, so that its destructor (closing
  /// sessions) runs while the maps still exist.
  runtime rt_;

  /// The workers `start_worker` started; made at the first one. They end
  /// before the runtime does.
  std::unique_ptr<scenario_workers> workers_;
};

} // namespace stagehand::apps
