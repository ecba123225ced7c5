#include "server/operations/attempt_end.hpp"

namespace stagehand {

attempt_verdict decide(const operation_record& cur, const attempt_end& end) {
  using cause = attempt_end::cause;
  auto started = state_code(cur.status) == 2;
  // A claimed operation stays Ready, without a due time, until it starts.
  auto claimed = state_code(cur.status) == 0 && !cur.next_attempt_time;
  if (!started && !claimed)
    return attempt_verdict::none;
  if (cur.cancel_requested)
    return attempt_verdict::canceled;
  auto retry_or_fail = cur.retry_count < end.max_retries
                         ? attempt_verdict::retried
                         : attempt_verdict::failed;
  switch (end.why) {
  case cause::refused:
    return started ? attempt_verdict::none : attempt_verdict::released;
  case cause::unrunnable:
    return attempt_verdict::failed;
  case cause::interrupted:
    return started ? retry_or_fail : attempt_verdict::released;
  case cause::failed:
    break;
  }
  return retry_or_fail;
}

} // namespace stagehand
