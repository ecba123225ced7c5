#include "services/codeunit_context.hpp"

#include <algorithm>

namespace stagehand {

codeunit_context::~codeunit_context() {
  // The pooled connection outlives this context; it must not keep watching
  // a token that goes away with it.
  if (lease_)
    lease_->db().watch(nullptr);
}

database& codeunit_context::db() {
  if (lease_)
    return lease_->db();
  if (writer_)
    return *writer_;
  if (!companies_)
    throw database_error{"This runtime has no company databases."};
  auto found = companies_->open(task_.company);
  if (!found)
    throw database_error{describe(found.error())};
  if (access_ == access_mode::read_only) {
    lease_.emplace((*found)->acquire_reader(*token_));
    lease_->db().watch(token_.get());
    lease_->db().begin();
    return lease_->db();
  }
  auto opened = (*found)->open_writer();
  if (!opened)
    throw database_error{describe(opened.error())};
  throw_if_cancelled();
  writer_ = std::move(*opened);
  writer_->watch(token_.get());
  writer_->begin();
  return *writer_;
}

void codeunit_context::commit_transaction() {
  if (writer_ && writer_->in_transaction())
    writer_->commit();
}

void codeunit_context::rollback_transaction() noexcept {
  if (writer_)
    writer_->rollback();
}

// -- dialogs
// -------------------------------------------------------------------

void codeunit_context::message(const std::string& text) {
  if (host_)
    host_->message(task_, text);
}

bool codeunit_context::confirm(const std::string&, bool) {
  throw codeunit_error{confirm_without_ui_text};
}

void codeunit_context::error(const std::string& text) {
  throw codeunit_error{text};
}

void codeunit_context::dialog_open(const std::string&) {
  // A progress window without a client to show it: SPEC.md says neither
  // shown nor logged.
}

int codeunit_context::str_menu(const std::string&, int) {
  throw codeunit_error{callbacks_not_allowed_text};
}

void codeunit_context::run_page(std::int32_t) {
  throw codeunit_error{callbacks_not_allowed_text};
}

// -- other sessions
// ------------------------------------------------------------

void codeunit_context::sleep(caf::timespan duration) {
  // One wait of `timespan::max()` would overflow the clock's deadline and
  // return at once; slices of a day wake only on the token, for as long as
  // the session may run.
  constexpr caf::timespan slice = std::chrono::hours(24);
  while (duration.count() > 0) {
    auto step = std::min(duration, slice);
    if (!token_->sleep_for(step))
      throw task_cancelled{};
    duration -= step;
  }
}

session_host& codeunit_context::host() {
  // A read-only child starting a read-write session would write after all.
  if (access_ == access_mode::read_only || !host_)
    throw codeunit_error{"This session cannot start or stop other sessions."};
  return *host_;
}

caf::expected<session_id>
codeunit_context::start_session(stagehand::start_session request) {
  auto& server = host();
  // A codeunit cannot pick its user: the runtime runs the new session as
  // the caller's, in its company unless the request names another.
  request.caller = task_.session;
  if (request.timeout.count() == 0 && budget_) {
    request.budget = budget_.remaining();
    // Zero would read as no limit at all.
    if (request.budget.count() == 0)
      return make_error(errc::budget_spent,
                        caf::make_message(std::uint64_t{task_.session}));
  }
  return server.start_session(std::move(request));
}

caf::expected<bool> codeunit_context::stop_session(session_id id,
                                                   std::string comment) {
  return host().stop_session({id, std::move(comment), task_.session});
}

bool codeunit_context::is_session_active(session_id id) {
  return host().is_session_active(id);
}

} // namespace stagehand
