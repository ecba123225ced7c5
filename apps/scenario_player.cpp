#include "apps/scenario_player.hpp"

#include <istream>
#include <ostream>
#include <stdexcept>
#include <thread>

#include "apps/scenario_command.hpp"
#include "runtime/errc.hpp"
#include "samples/sample_codeunits.hpp"

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

scenario_player::scenario_player(config& cfg, std::ostream& out,
                                 std::ostream& err)
  : out_(out), err_(err), start_(std::chrono::steady_clock::now()),
    rt_(
      cfg,
      [this](const page_event& ev) {
        on_page_event(ev);
      },
      [this](const session_notice& notice) {
        on_session_notice(notice);
      }) {
  if (auto err = samples::register_sample_codeunits(rt_.codeunits()))
    throw std::logic_error{"sample codeunits: " + describe(err)};
}

int scenario_player::run(std::istream& in) {
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos)
      continue;
    try {
      execute(parse_scenario_line(line));
    } catch (const json::parse_error& e) {
      err_ << "line " << number << ": invalid JSON: " << e.what() << '\n';
      return 2;
    } catch (const malformed_line& e) {
      err_ << "line " << number << ": " << e.what() << '\n';
      return 2;
    }
  }
  rt_.wait_idle(std::chrono::hours(24));
  while (!sessions_.empty())
    close_session(sessions_.begin()->first);
  std::lock_guard<std::mutex> guard{mtx_};
  json summary{{"event", "summary"},
               {"enqueued", counts_["enqueued"]},
               {"completed", counts_["completed"]},
               {"errors", counts_["error"]},
               {"cancelled", counts_["cancelled"]},
               {"enqueue_failed", counts_["enqueue_failed"]}};
  summary["t_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start_)
                      .count();
  out_ << summary.dump() << std::endl;
  return 0;
}

// -- commands -----------------------------------------------------------------

void scenario_player::execute(const json& cmd) {
  auto what = text_field(cmd, "do");
  auto known = true;
  try {
    if (what == "open_session") {
      open_session(cmd);
    } else if (what == "open_page") {
      open_page(cmd);
    } else if (what == "enqueue") {
      enqueue(cmd);
    } else if (what == "cancel") {
      cancel(cmd);
    } else if (what == "set_record") {
      auto record = text_field(cmd, "record");
      rt_.set_record(page(cmd), record); // a closed page ignores it
    } else if (what == "close_page") {
      rt_.close_page(page(cmd));
    } else if (what == "close_session") {
      auto label = text_field(cmd, "session");
      if (sessions_.count(label) == 0)
        throw malformed_line{"unknown session \"" + label + "\""};
      close_session(label);
    } else if (what == "sql") {
      sql(cmd);
    } else if (what == "start_session") {
      start_session(cmd);
    } else if (what == "stop_session") {
      stop_session(cmd);
    } else if (what == "sleep") {
      std::this_thread::sleep_for(
        std::chrono::milliseconds(non_negative_field(cmd, "ms")));
    } else if (what == "wait_idle") {
      wait_idle(cmd);
    } else {
      known = false;
    }
  } catch (const malformed_line& e) {
    throw malformed_line{what + ": " + e.what()};
  }
  if (!known)
    throw malformed_line{"unknown command \"" + what + "\""};
}

void scenario_player::open_session(const json& cmd) {
  auto label = text_field(cmd, "session");
  auto client = client_type::web_client;
  if (cmd.contains("client")) {
    auto parsed = parse_client_type(text_field(cmd, "client"));
    if (!parsed)
      throw malformed_line{"field \"client\" must be \"web\" or "
                           "\"web_service\""};
    client = *parsed;
  }
  if (sessions_.count(label) > 0)
    throw malformed_line{"session \"" + label + "\" is already open"};
  if (!cmd.contains("company")) {
    sessions_.emplace(label, rt_.open_session(client));
    return;
  }
  auto company = text_field(cmd, "company");
  auto session = rt_.open_session(client, company);
  if (!session) {
    print({{"event", "open_session_failed"},
           {"session", label},
           {"company", company},
           {"reason", describe(session.error())}});
    return;
  }
  sessions_.emplace(label, std::move(*session));
}

void scenario_player::sql(const json& cmd) {
  auto company = text_field(cmd, "company");
  auto statement = text_field(cmd, "statement");
  std::vector<db_value> params;
  if (auto i = cmd.find("params"); i != cmd.end()) {
    if (!i->is_array())
      throw malformed_line{"field \"params\" must be an array"};
    for (auto& value : *i) {
      if (value.is_string())
        params.emplace_back(value.get<std::string>());
      else if (value.is_number_integer())
        params.emplace_back(value.get<std::int64_t>());
      else if (value.is_null())
        params.emplace_back(nullptr);
      else
        throw malformed_line{"SQL parameters must be strings, integers or "
                             "null"};
    }
  }
  auto fail = [&](const std::string& reason) {
    print({{"event", "sql_failed"}, {"company", company}, {"reason", reason}});
  };
  auto db = rt_.open_admin_connection(company);
  if (!db)
    return fail(describe(db.error()));
  // One statement, one transaction: it commits whole or not at all.
  try {
    (*db)->begin();
    auto rows = (*db)->query(statement, params);
    (*db)->commit();
    print({{"event", "sql"}, {"company", company}, {"rows", rows.size()}});
  } catch (const database_error& e) {
    (*db)->rollback();
    fail(e.what());
  }
}

void scenario_player::open_page(const json& cmd) {
  auto session_label = text_field(cmd, "session");
  auto label = text_field(cmd, "page");
  auto record = text_field(cmd, "record");
  auto session = sessions_.find(session_label);
  if (session == sessions_.end())
    throw malformed_line{"unknown session \"" + session_label + "\""};
  if (pages_.count(label) > 0)
    throw malformed_line{"page \"" + label + "\" is already open"};
  auto handle
    = rt_.open_page(session->second, record,
                    std::make_shared<scenario_page>(label, behaviors_));
  std::lock_guard<std::mutex> guard{mtx_};
  page_labels_.emplace(handle.id, label);
  pages_.emplace(label, handle);
}

void scenario_player::enqueue(const json& cmd) {
  auto& target = page(cmd);
  auto page_label = text_field(cmd, "page");
  enqueue_task request;
  request.tag = text_field(cmd, "task");
  request.codeunit = static_cast<codeunit_id>(int_field(cmd, "codeunit"));
  request.parameters = params_field(cmd);
  if (cmd.contains("timeout_ms"))
    request.timeout
      = caf::timespan{std::chrono::milliseconds(int_field(cmd, "timeout_ms"))};
  if (cmd.contains("error_level")) {
    auto level = parse_error_level(text_field(cmd, "error_level"));
    if (!level)
      throw malformed_line{"field \"error_level\" must be \"ignore\", "
                           "\"warning\" or \"error\""};
    request.level = *level;
  }
  task_behaviors::behavior behavior;
  if (cmd.contains("repeat"))
    behavior.repeat = static_cast<int>(non_negative_field(cmd, "repeat"));
  if (cmd.contains("handled")) {
    auto& handled = field(cmd, "handled");
    if (!handled.is_boolean())
      throw malformed_line{"field \"handled\" must be true or false"};
    behavior.handled = handled.get<bool>();
  }
  behaviors_->set(page_label, request.tag, behavior);
  auto tag = request.tag;
  auto id = rt_.enqueue_background_task(target, std::move(request));
  // A live page reports its own refusals; a closed one cannot.
  if (!id && is(id.error(), errc::page_closed))
    print({{"event", "enqueue_failed"},
           {"page", page_label},
           {"task", tag},
           {"reason", describe(id.error())}});
}

void scenario_player::cancel(const json& cmd) {
  auto& target = page(cmd);
  auto page_label = text_field(cmd, "page");
  auto task_label = text_field(cmd, "task");
  task_id id = 0;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = latest_task_.find({page_label, task_label});
    if (i != latest_task_.end())
      id = i->second;
  }
  auto ok = id != 0 ? rt_.cancel_background_task(target, id)
                    : caf::expected<bool>{false};
  print({{"event", "cancel_result"},
         {"page", page_label},
         {"task", task_label},
         {"ok", ok && *ok}});
}

void scenario_player::close_session(const std::string& label) {
  auto i = sessions_.find(label);
  // Its pages stay known: commands on them now see a closed page.
  rt_.close_session(i->second);
  sessions_.erase(i);
}

void scenario_player::wait_idle(const json& cmd) {
  auto timeout = caf::timespan{std::chrono::hours(24)};
  if (cmd.contains("timeout_ms"))
    timeout = std::chrono::milliseconds(non_negative_field(cmd, "timeout_ms"));
  if (!rt_.wait_idle(timeout))
    err_
      << "wait_idle: tasks still pending after "
      << std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count()
      << " ms\n";
}

void scenario_player::start_session(const json& cmd) {
  auto label = text_field(cmd, "session");
  stagehand::start_session request;
  request.codeunit = static_cast<codeunit_id>(int_field(cmd, "codeunit"));
  if (cmd.contains("company"))
    request.company = text_field(cmd, "company");
  request.parameters = params_field(cmd);
  if (cmd.contains("timeout_ms"))
    request.timeout = std::chrono::milliseconds(
      non_negative_field(cmd, "timeout_ms"));
  request.tag = label;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (background_sessions_.count(label) > 0)
      throw malformed_line{"session \"" + label + "\" was already started"};
  }
  auto id = rt_.start_session(std::move(request));
  std::lock_guard<std::mutex> guard{mtx_};
  if (!id) {
    print_locked({{"event", "session_start_failed"},
                  {"session", label},
                  {"reason", describe(id.error())}});
    return;
  }
  background_sessions_.emplace(label, *id);
  announced_.insert(*id);
  print_locked({{"event", "session_started"},
                {"session", label},
                {"session_id", *id}});
  if (auto i = early_lines_.find(*id); i != early_lines_.end()) {
    for (auto& line : i->second)
      print_locked(std::move(line));
    early_lines_.erase(i);
  }
}

void scenario_player::stop_session(const json& cmd) {
  auto label = text_field(cmd, "session");
  std::string comment;
  if (cmd.contains("comment"))
    comment = text_field(cmd, "comment");
  session_id id = 0;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = background_sessions_.find(label);
    if (i == background_sessions_.end())
      throw malformed_line{"unknown background session \"" + label + "\""};
    id = i->second;
  }
  // Its session_ended line reports the stop; a session that had already
  // ended is simply not stopped.
  rt_.stop_session(id, std::move(comment));
}

const page_handle& scenario_player::page(const json& cmd) {
  auto label = text_field(cmd, "page");
  auto i = pages_.find(label);
  if (i == pages_.end())
    throw malformed_line{"unknown page \"" + label + "\""};
  return i->second;
}

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
  case kind::started:
    break;
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
    break;
  case kind::notification:
    line["level"] = ev.level;
    line["text"] = ev.text;
    break;
  case kind::cancelled:
    line["reason"] = to_string(ev.reason);
    break;
  }
  print(std::move(line));
}

void scenario_player::on_session_notice(const session_notice& notice) {
  using kind = session_notice::kind;
  if (notice.what == kind::started)
    return; // the start command prints session_started itself
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
  std::lock_guard<std::mutex> guard{mtx_};
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
  ++counts_[ev["event"].get<std::string>()];
  out_ << ev.dump() << std::endl;
}

std::string scenario_player::page_label(page_id id) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = page_labels_.find(id);
  return i != page_labels_.end() ? i->second : std::to_string(id);
}

} // namespace stagehand::apps
