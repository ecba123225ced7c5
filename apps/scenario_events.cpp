#include "apps/scenario_player.hpp"

#include <ostream>

namespace stagehand::apps {

namespace {

using nlohmann::json;

json to_json(const dictionary& xs) {
  auto result = json::object();
  for (auto& [key, value] : xs)
    result[key] = value;
  return result;
}

} // namespace

// -- events -------------------------------------------------------------------

void scenario_player::on_page_event(const page_event& ev) {
  using kind = page_event::kind;
  auto label = page_label(ev.page);
  json line{{"event", to_string(ev.what)}, {"page", label}};
  auto& task = ev.task;
  if (ev.what != kind::notification)
    line["task"] = task.tag;
  if (ev.what != kind::notification && ev.what != kind::enqueue_failed)
    line["task_id"] = task.id;
  switch (ev.what) {
  case kind::enqueued: {
    std::lock_guard<std::mutex> guard{mtx_};
    latest_task_[{label, task.tag}] = task.id;
    break;
  }
  case kind::started: {
    std::lock_guard<std::mutex> guard{mtx_};
    ++started_on_[ev.node];
    line["node"] = ev.node;
    break;
  }
  case kind::enqueue_failed:
    line["reason"] = ev.text;
    break;
  case kind::completed:
    line["results"] = to_json(ev.results);
    break;
  case kind::error:
    line["code"] = ev.error.code;
    line["text"] = ev.error.text;
    line["handled"] = ev.handled;
    line["call_stack"] = ev.error.call_stack;
    break;
  case kind::notification:
    line["level"] = ev.level;
    line["text"] = ev.text;
    break;
  case kind::cancelled:
    line["reason"] = to_string(ev.reason);
    line["state"] = to_string(ev.cancel);
    break;
  }
  print(std::move(line));
}

void scenario_player::on_session_notice(const session_notice& notice) {
  using kind = session_notice::kind;
  std::lock_guard<std::mutex> guard{mtx_};
  auto ours
    = announced_.count(notice.session) > 0 || starting_.count(notice.tag) > 0;
  // Queueing is not a step of the scenario's own: it sees the start.
  if (notice.what == kind::queued)
    return;
  if (notice.what == kind::started) {
    if (ours)
      return; // the start command prints session_started itself
    // Started by a codeunit: announced here, and stoppable by its label.
    announced_.insert(notice.session);
    background_sessions_.emplace(notice.tag, notice.session);
    return print_locked({{"event", "session_started"},
                         {"session", notice.tag},
                         {"session_id", notice.session},
                         {"nested", true}});
  }
  json line;
  if (notice.what == kind::message) {
    line = {{"event", "session_message"},
            {"session", notice.tag},
            {"text", notice.text}};
  } else {
    line = {{"event", "session_ended"},
            {"session", notice.tag},
            {"session_id", notice.session},
            {"outcome", to_string(notice.outcome.what)},
            {"comment", notice.outcome.comment}};
    if (notice.outcome.what == session_outcome::kind::completed)
      line["results"] = to_json(notice.outcome.results);
  }
  if (announced_.count(notice.session) > 0)
    print_locked(std::move(line));
  else
    early_lines_[notice.session].push_back(std::move(line));
}

void scenario_player::print(json ev) {
  std::lock_guard<std::mutex> guard{mtx_};
  print_locked(std::move(ev));
}

void scenario_player::print_locked(json ev) {
  ev["t_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::steady_clock::now() - start_)
                 .count();
  auto event = ev["event"].get<std::string>();
  ++counts_[event];
  if (event == "session_ended")
    ++counts_["sessions_" + ev["outcome"].get<std::string>()];
  out_ << ev.dump() << std::endl;
}

void scenario_player::print_summary() {
  std::lock_guard<std::mutex> guard{mtx_};
  // Lines of a session whose start never returned to us (a label clash
  // between a command and a codeunit) are still owed.
  for (auto& [id, lines] : early_lines_)
    for (auto& line : lines)
      print_locked(std::move(line));
  early_lines_.clear();
  print_locked({{"event", "summary"},
                {"enqueued", counts_["enqueued"]},
                {"completed", counts_["completed"]},
                {"errors", counts_["error"]},
                {"cancelled", counts_["cancelled"]},
                {"enqueue_failed", counts_["enqueue_failed"]},
                {"sessions_started", counts_["session_started"]},
                {"sessions_completed", counts_["sessions_completed"]},
                {"sessions_failed", counts_["sessions_failed"]},
                {"sessions_stopped", counts_["sessions_stopped"]},
                {"sessions_timed_out", counts_["sessions_timed_out"]},
                {"session_start_failed", counts_["session_start_failed"]},
                {"nodes", json(started_on_)}});
}

std::string scenario_player::page_label(page_id id) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = page_labels_.find(id);
  return i != page_labels_.end() ? i->second : std::to_string(id);
}

} // namespace stagehand::apps
