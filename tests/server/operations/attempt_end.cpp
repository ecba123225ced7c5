// Tests server/operations/attempt_end.hpp: the one decision between cancel,
// fail, retry and release, for each cause and each place an operation can be
// in.
#include <boost/test/unit_test.hpp>

#include "server/operations/attempt_end.hpp"

using namespace stagehand;
using cause = attempt_end::cause;
using verdict = attempt_verdict;

namespace {

operation_record claimed() {
  operation_record rec;
  rec.status = operation_status::waiting_for_resources;
  return rec;
}

operation_record running(std::int64_t retries = 0) {
  operation_record rec;
  rec.status = operation_status::in_progress;
  rec.retry_count = retries;
  return rec;
}

operation_record canceling() {
  auto rec = running();
  rec.status = operation_status::canceling;
  rec.cancel_requested = true;
  return rec;
}

verdict of(const operation_record& rec, cause why) {
  attempt_end end;
  end.why = why;
  end.max_retries = 2;
  return decide(rec, end);
}

} // namespace

BOOST_AUTO_TEST_SUITE(server_attempt_end)

BOOST_AUTO_TEST_CASE(a_cancel_request_wins_every_cause) {
  for (auto why : {cause::refused, cause::unrunnable, cause::failed,
                   cause::interrupted})
    BOOST_CHECK(of(canceling(), why) == verdict::canceled);
}

BOOST_AUTO_TEST_CASE(a_claimed_operation_is_released_unless_it_cannot_run) {
  BOOST_CHECK(of(claimed(), cause::refused) == verdict::released);
  BOOST_CHECK(of(claimed(), cause::interrupted) == verdict::released);
  BOOST_CHECK(of(claimed(), cause::unrunnable) == verdict::failed);
}

BOOST_AUTO_TEST_CASE(a_running_operation_retries_until_none_are_left) {
  BOOST_CHECK(of(running(0), cause::failed) == verdict::retried);
  BOOST_CHECK(of(running(1), cause::interrupted) == verdict::retried);
  BOOST_CHECK(of(running(2), cause::failed) == verdict::failed);
  BOOST_CHECK(of(running(2), cause::interrupted) == verdict::failed);
  BOOST_CHECK(of(running(0), cause::refused) == verdict::none);
}

BOOST_AUTO_TEST_CASE(ready_and_terminal_operations_are_left_alone) {
  auto ready = claimed();
  ready.next_attempt_time = 5;
  BOOST_CHECK(of(ready, cause::failed) == verdict::none);
  auto done = running();
  done.status = operation_status::canceled;
  done.cancel_requested = true;
  BOOST_CHECK(of(done, cause::failed) == verdict::none);
}

BOOST_AUTO_TEST_SUITE_END()
