#include "apps/scenario_player.hpp"

#include <istream>
#include <ostream>
#include <stdexcept>
#include <thread>
#include <variant>

#include "apps/scenario_command.hpp"
#include "core/errc.hpp"
#include "samples/sample_codeunits.hpp"

namespace stagehand::apps {

namespace {

using nlohmann::json;

json to_json(const db_row& row) {
  auto result = json::array();
  for (auto& value : row)
    std::visit(
      [&](auto& x) {
        result.push_back(x);
      },
      value);
  return result;
}

/// The player's own codeunit: `StartSession` from inside a session.
void start_session_run(codeunit_context& ctx) {
  stagehand::start_session request;
  auto params = ctx.parameters();
  try {
    request.codeunit
      = static_cast<codeunit_id>(std::stoi(params.at("Codeunit")));
  } catch (const std::exception&) { // missing, not a number or out of range
    throw codeunit_error{"Parameter Codeunit must be a codeunit number."};
  }
  request.tag = params.count("Session") > 0 ? params.at("Session") : "nested";
  params.erase("Codeunit");
  params.erase("Session");
  request.parameters = std::move(params);
  auto id = ctx.start_session(std::move(request));
  if (!id)
    throw codeunit_error{describe(id.error())};
  ctx.set_result({{"SessionId", std::to_string(*id)}});
}

} // namespace

scenario_player::scenario_player(config& cfg, std::ostream& out,
                                 std::ostream& err)
  : out_(out), err_(err), start_(std::chrono::steady_clock::now()),
    data_dir_(cfg.data_dir), rt_(
      cfg,
      [this](const page_event& ev) {
        on_page_event(ev);
      },
      [this](const session_notice& notice) {
        on_session_notice(notice);
      }) {
  if (auto err = samples::register_sample_codeunits(rt_.codeunits()))
    throw std::logic_error{"sample codeunits: " + describe(err)};
  if (auto err = rt_.codeunits().add(start_session_codeunit, "PlayStartSession",
                                     start_session_run))
    throw std::logic_error{"player codeunit: " + describe(err)};
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
  if (workers_)
    workers_->finish(); // before the summary, which is the last line
  print_summary();
  return timed_out_ ? 1 : 0;
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
    } else if (what == "is_session_active") {
      is_session_active(cmd);
    } else if (what == "sleep") {
      std::this_thread::sleep_for(
        std::chrono::milliseconds(non_negative_field(cmd, "ms")));
    } else if (what == "wait_idle") {
      wait_idle(cmd);
    } else if (what == "start_worker") {
      if (!workers_)
        workers_ = std::make_unique<scenario_workers>(
          rt_, data_dir_, [this](json ev) { print(std::move(ev)); });
      workers_->start(cmd);
    } else if (what == "kill_worker") {
      if (!workers_)
        throw malformed_line{"no worker was started"};
      workers_->kill(cmd);
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
  // Without a company, the session is on CRONUS and opens no file.
  auto company = cmd.contains("company") ? text_field(cmd, "company") : "";
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
    auto data = json::array();
    for (auto& row : rows)
      data.push_back(to_json(row));
    print({{"event", "sql"},
           {"company", company},
           {"count", rows.size()},
           {"rows", std::move(data)}});
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
  std::int64_t ms = 24 * 3600 * 1000;
  if (cmd.contains("timeout_ms"))
    ms = int_field(cmd, "timeout_ms");
  if (ms < 0) // refused like a negative task or session timeout
    return print({{"event", "wait_idle_failed"},
                  {"reason", describe(make_error(errc::negative_timeout,
                                                 caf::make_message(ms)))}});
  if (rt_.wait_idle(std::chrono::milliseconds(ms)))
    return;
  timed_out_ = true;
  print({{"event", "wait_idle_timeout"}, {"timeout_ms", ms}});
}

void scenario_player::start_session(const json& cmd) {
  auto label = text_field(cmd, "session");
  stagehand::start_session request;
  request.codeunit = static_cast<codeunit_id>(int_field(cmd, "codeunit"));
  if (cmd.contains("company"))
    request.company = text_field(cmd, "company");
  request.parameters = params_field(cmd);
  if (cmd.contains("timeout_ms")) // a negative one is the runtime's to refuse
    request.timeout = std::chrono::milliseconds(int_field(cmd, "timeout_ms"));
  request.tag = label;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (background_sessions_.count(label) > 0)
      throw malformed_line{"session \"" + label + "\" was already started"};
    starting_.insert(label);
  }
  auto id = rt_.start_session(std::move(request));
  std::lock_guard<std::mutex> guard{mtx_};
  starting_.erase(starting_.find(label));
  if (!id) {
    print_locked({{"event", "session_start_failed"},
                  {"session", label},
                  {"reason", describe(id.error())}});
    return;
  }
  background_sessions_.emplace(label, *id);
  announced_.insert(*id);
  print_locked(
    {{"event", "session_started"}, {"session", label}, {"session_id", *id}});
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
  auto id = background_session(label);
  // Its session_ended line tells how it ended; ok is false for a session
  // that had already ended (or claimed its commit).
  auto ok = rt_.stop_session(id, std::move(comment));
  print({{"event", "stop_result"}, {"session", label}, {"ok", ok && *ok}});
}

void scenario_player::is_session_active(const json& cmd) {
  auto label = text_field(cmd, "session");
  auto active = rt_.is_session_active(background_session(label));
  print({{"event", "session_active"}, {"session", label}, {"active", active}});
}

session_id scenario_player::background_session(const std::string& label) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = background_sessions_.find(label);
  if (i == background_sessions_.end())
    throw malformed_line{"unknown background session \"" + label + "\""};
  return i->second;
}

const page_handle& scenario_player::page(const json& cmd) {
  auto label = text_field(cmd, "page");
  auto i = pages_.find(label);
  if (i == pages_.end())
    throw malformed_line{"unknown page \"" + label + "\""};
  return i->second;
}

} // namespace stagehand::apps
