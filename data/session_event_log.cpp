#include "data/session_event_log.hpp"

#include <cstdio>
#include <ctime>

#include <caf/make_message.hpp>

#include "core/errc.hpp"
#include "core/wall_clock.hpp"

namespace stagehand {

namespace {

using sys_clock = std::chrono::system_clock;

/// `format_time` is fixed width, so text order is time order and the purge
/// can compare strings.
std::string format_datetime(sys_clock::time_point t) {
  return format_time(
    std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch())
      .count());
}

sys_clock::time_point parse_datetime(const std::string& text) {
  std::tm tm{};
  int ms = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year,
                  &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
                  &ms)
      != 7)
    return {};
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return sys_clock::from_time_t(timegm(&tm)) + std::chrono::milliseconds(ms);
}

/// The first `n` characters of UTF-8 `text`, never splitting a character.
std::string truncate_chars(const std::string& text, std::size_t n) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool lead = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (lead && chars++ == n)
      return text.substr(0, i);
  }
  return text;
}

const session_event::kind all_kinds[]
  = {session_event::kind::logon, session_event::kind::logoff,
     session_event::kind::start, session_event::kind::stop,
     session_event::kind::close};

const client_type all_clients[]
  = {client_type::web_client, client_type::web_service, client_type::background,
     client_type::child_session};

template <class T, std::size_t N>
T parse_name(const T (&all)[N], const std::string& name) {
  for (auto x : all)
    if (to_string(x) == name)
      return x;
  return all[0];
}

} // namespace

std::string to_string(session_event::kind x) {
  switch (x) {
  case session_event::kind::logon:
    return "Logon";
  case session_event::kind::logoff:
    return "Logoff";
  case session_event::kind::start:
    return "Start";
  case session_event::kind::stop:
    return "Stop";
  case session_event::kind::close:
    return "Close";
  }
  return "Close";
}

void session_event_log::record(database& db, const session_event& ev) {
  db.query("INSERT INTO \"Session Event\" (\"Session ID\", \"Event Type\", "
           "\"Event Datetime\", \"Client Type\", \"User ID\", \"Comment\", "
           "\"Session Unique ID\") VALUES (?, ?, ?, ?, ?, ?, ?)",
           {static_cast<std::int64_t>(ev.session), to_string(ev.what),
            format_datetime(ev.at), to_string(ev.client), ev.user_id,
            truncate_chars(ev.comment, comment_length), ev.unique_id});
}

std::vector<session_event> session_event_log::read(database& db,
                                                   session_id session) {
  auto rows = db.query(
    "SELECT \"Session ID\", \"Event Type\", \"Event Datetime\", "
    "\"Client Type\", \"User ID\", \"Comment\", \"Session Unique ID\" "
    "FROM \"Session Event\" WHERE ? = 0 OR \"Session ID\" = ? "
    "ORDER BY \"Entry No.\"",
    {static_cast<std::int64_t>(session), static_cast<std::int64_t>(session)});
  std::vector<session_event> result;
  for (auto& row : rows) {
    auto text = [&](std::size_t i) {
      return std::get<std::string>(row[i]);
    };
    result.push_back({static_cast<session_id>(std::get<std::int64_t>(row[0])),
                      parse_name(all_kinds, text(1)), parse_datetime(text(2)),
                      parse_name(all_clients, text(3)), text(4), text(5),
                      text(6)});
  }
  return result;
}

std::size_t session_event_log::purge(database& db, sys_clock::time_point cutoff,
                                     std::size_t batch) {
  auto before = format_datetime(cutoff);
  std::size_t total = 0;
  for (;;) {
    db.begin();
    auto rows = db.query(
      "DELETE FROM \"Session Event\" WHERE \"Entry No.\" IN (SELECT "
      "\"Entry No.\" FROM \"Session Event\" WHERE \"Event Datetime\" < ? "
      "ORDER BY \"Entry No.\" LIMIT ?) RETURNING 1",
      {before, static_cast<std::int64_t>(batch)});
    db.commit();
    total += rows.size();
    if (rows.size() < batch)
      return total;
  }
}

void record_session_event(company_directory& companies,
                          const std::string& company, const session_event& ev,
                          spdlog::logger& log) {
  try {
    auto found = companies.open(company);
    if (!found)
      throw database_error{describe(found.error())};
    (*found)->with_log_writer([&](database& db) {
      session_event_log::record(db, ev);
    });
  } catch (const std::exception& e) {
    log.warn("session_type={} session_id={} company=\"{}\" "
             "event=session_event_lost type={} reason=\"{}\"",
             to_string(ev.client), ev.session, company, to_string(ev.what),
             e.what());
  }
}

caf::expected<std::size_t> purge_session_events(company_directory& companies,
                                                const std::string& company,
                                                sys_clock::time_point cutoff,
                                                std::size_t batch) {
  // Its own connection: holding the log writer for every batch would keep
  // the sessions' rows waiting, where batches let them in between.
  auto db = companies.open_writer(company);
  if (!db)
    return db.error();
  try {
    return session_event_log::purge(**db, cutoff, batch);
  } catch (const database_error& e) {
    return make_error(
      errc::task_failed,
      caf::make_message(std::string{"Purge"}, std::string{e.what()}));
  }
}

} // namespace stagehand
