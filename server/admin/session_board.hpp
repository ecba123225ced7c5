#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "messages/ids.hpp"
#include "services/session_notice.hpp"

namespace stagehand {

/// The background sessions an operator sees on the admin page: those queued
/// and running now, then the last ones that ended, newest first. The runtime
/// tells the board each step through `observer()`; the board keeps ended
/// sessions for a while because a session that was stopped is gone from
/// every other table by the time anyone looks.
class session_board {
public:
  enum class state { queued, running, completed, failed, stopped, timed_out };

  struct row {
    session_id id = 0;
    std::string tag;
    codeunit_id codeunit = 0;
    std::string user;
    std::string company;
    state now = state::queued;
    /// When it entered `now`, in milliseconds since the epoch.
    std::int64_t since = 0;
    /// Ended: the outcome's comment (why it stopped, or the error text).
    std::string comment;
  };

  /// Keeps up to `ended_kept` ended sessions.
  explicit session_board(std::size_t ended_kept = 50);

  /// Feeds the board; give it to the runtime. The board must outlive the
  /// runtime, whose threads call it.
  session_observer observer();

  /// Queued, then running (each oldest first), then the ended ones.
  std::vector<row> rows() const;

private:
  void apply(const session_notice& notice);

  std::size_t ended_kept_;
  mutable std::mutex mtx_;
  std::map<session_id, row> live_;
  std::deque<row> ended_;
};

/// "Queued", "Running", "Completed", "Failed", "Stopped" or "TimedOut".
const char* label(session_board::state x);

} // namespace stagehand
