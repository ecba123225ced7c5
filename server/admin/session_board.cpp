#include "server/admin/session_board.hpp"

#include "core/wall_clock.hpp"

namespace stagehand {

namespace {

session_board::state ended_state(session_outcome::kind x) {
  using kind = session_outcome::kind;
  switch (x) {
  case kind::completed:
    return session_board::state::completed;
  case kind::failed:
    return session_board::state::failed;
  case kind::stopped:
    return session_board::state::stopped;
  case kind::timed_out:
    return session_board::state::timed_out;
  }
  return session_board::state::failed;
}

} // namespace

session_board::session_board(std::size_t ended_kept)
  : ended_kept_(ended_kept) {}

session_observer session_board::observer() {
  return [this](const session_notice& notice) {
    apply(notice);
  };
}

void session_board::apply(const session_notice& notice) {
  using kind = session_notice::kind;
  if (notice.what == kind::message)
    return;
  std::lock_guard<std::mutex> guard{mtx_};
  auto& r = live_[notice.session];
  r.id = notice.session;
  r.since = now_ms();
  if (notice.what != kind::ended) {
    r.now = notice.what == kind::queued ? state::queued : state::running;
    r.tag = notice.tag;
    r.codeunit = notice.codeunit;
    r.user = notice.user;
    r.company = notice.company;
    return;
  }
  r.now = ended_state(notice.outcome.what);
  r.comment = notice.outcome.comment;
  ended_.push_front(std::move(r));
  live_.erase(notice.session);
  if (ended_.size() > ended_kept_)
    ended_.pop_back();
}

std::vector<session_board::row> session_board::rows() const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<row> out;
  out.reserve(live_.size() + ended_.size());
  for (auto wanted : {state::queued, state::running})
    for (auto& [id, r] : live_)
      if (r.now == wanted)
        out.push_back(r);
  out.insert(out.end(), ended_.begin(), ended_.end());
  return out;
}

const char* label(session_board::state x) {
  using state = session_board::state;
  switch (x) {
  case state::queued:
    return "Queued";
  case state::running:
    return "Running";
  case state::completed:
    return "Completed";
  case state::failed:
    return "Failed";
  case state::stopped:
    return "Stopped";
  case state::timed_out:
    return "TimedOut";
  }
  return "Failed";
}

} // namespace stagehand
