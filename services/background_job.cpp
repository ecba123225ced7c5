#include "services/background_job.hpp"

#include "services/codeunit_context.hpp"

namespace stagehand {

session_outcome background_job::run() const {
  auto event = [&](session_event::kind what, std::string comment) {
    if (companies)
      record_session_event(
        *companies, session.company,
        {session.session, what, std::chrono::system_clock::now(),
         client_type::background, session.user, std::move(comment), unique_id},
        *log);
  };
  auto stopped = [&] {
    auto comment = token->reason();
    event(session_event::kind::stop, comment);
    return session_outcome::stopped(std::move(comment));
  };
  if (token->cancelled())
    return stopped();
  event(session_event::kind::start, {});
  codeunit_context ctx(session, token, companies.get(), access_mode::read_write,
                       host, budget);
  auto outcome = unit->invoke(ctx);
  if (outcome.what == task_outcome::kind::completed && token->try_finish()) {
    try {
      ctx.commit_transaction();
      event(session_event::kind::close, {});
      return session_outcome::completed(std::move(outcome.results));
    } catch (const std::exception& e) {
      outcome = task_outcome::failed(
        {codeunit_error_code, e.what(), unit->call_stack()});
    }
  }
  ctx.rollback_transaction();
  // A failure that a stop caused (an interrupted query, a woken sleep) is
  // the stop; so is a success whose commit the stopper pre-empted.
  if (outcome.what == task_outcome::kind::completed
      || (!token->try_finish() && token->cancelled()))
    return stopped();
  event(session_event::kind::close, outcome.error.text);
  return session_outcome::failed(std::move(outcome.error));
}

} // namespace stagehand
