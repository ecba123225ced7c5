#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <caf/expected.hpp>
#include <spdlog/logger.h>

#include "messages/client_type.hpp"
#include "messages/ids.hpp"
#include "data/company_directory.hpp"
#include "data/database.hpp"

namespace stagehand {

/// One row of the Session Event table (SPEC.md §2), kept in the company
/// database so that how a session ended outlives the server process.
struct session_event {
  enum class kind : std::uint8_t { logon, logoff, start, stop, close };

  session_id session = 0;
  kind what = kind::start;
  std::chrono::system_clock::time_point at;
  client_type client = client_type::background;
  std::string user_id;
  /// At most `comment_length` characters are stored.
  std::string comment;
  std::string unique_id;
};

/// "Logon", "Logoff", "Start", "Stop" or "Close".
std::string to_string(session_event::kind x);

/// The Comment column's width.
inline constexpr std::size_t comment_length = 132;

/// Reads and writes the Session Event table of one company.
class session_event_log {
public:
  /// Appends `ev` in its own transaction unless one is open; truncates the
  /// comment to `comment_length` characters.
  static void record(database& db, const session_event& ev);

  /// The rows of `session`, oldest first; every session when `session` is 0.
  static std::vector<session_event> read(database& db, session_id session = 0);

  /// Deletes rows older than `cutoff`, `batch` rows per transaction, so that
  /// writers wait at most one small batch.
  /// @returns the number of rows deleted.
  static std::size_t purge(database& db,
                           std::chrono::system_clock::time_point cutoff,
                           std::size_t batch);
};

/// Appends one Session Event row to `company` on its log writer, logging
/// rather than throwing on failure: the callers are workers and session
/// actors with nothing better to do with the error.
void record_session_event(company_directory& companies,
                          const std::string& company, const session_event& ev,
                          spdlog::logger& log);

/// `session_event_log::purge` on a fresh connection to `company`.
caf::expected<std::size_t>
purge_session_events(company_directory& companies, const std::string& company,
                     std::chrono::system_clock::time_point cutoff,
                     std::size_t batch);

} // namespace stagehand
