// The scheduler's attempts: claiming and starting them, their launch, and
// every way they end.
#include "server/scheduler/operation_scheduler.hpp"

#include <map>

#include "messages/attempt_parameter.hpp"
#include "core/wall_clock.hpp"
#include "server/scheduler/operation_scheduler_state.hpp"

namespace stagehand {

using namespace scheduling;

void operation_scheduler::dispatch(std::int64_t now) {
  while (!saturated_until_) {
    // Counted as starting before the claim, so that shutdown, which stops
    // only what it knows to run, waits for the starts in flight.
    start_in_flight starts{*state_};
    if (!starts)
      return;
    auto claimed = store_->claim_due(now, claim_batch);
    for (std::size_t i = 0; i < claimed.size(); ++i) {
      auto& rec = claimed[i];
      // The runner refused one, or shutdown began: the rest wait for the
      // next try, uncounted.
      if (saturated_until_ || starts.draining()) {
        release_from(claimed, i, now);
        return;
      }
      std::optional<std::uint64_t> attempt;
      try {
        attempt = start_attempt(rec, now);
      } catch (...) {
        // Only restart recovery looks at a claimed row again: hand them back.
        release_from(claimed, i, now);
        throw;
      }
      if (attempt && !starts.add(rec.id, *attempt)) {
        log_->debug("session_type=Background session_id={} operation_id={} "
                    "event=waiting_attempt_stopped",
                    *attempt, rec.id);
        runner_.stop(*attempt, canceled_text);
      }
    }
    // A full claim may have left more that are due.
    if (claimed.size() < claim_batch)
      return;
  }
}

void operation_scheduler::release_from(
  const std::vector<operation_record>& claimed, std::size_t first,
  std::int64_t now) {
  std::vector<std::string> ids;
  for (auto i = first; i < claimed.size(); ++i)
    ids.push_back(claimed[i].id);
  store_->release(ids, now);
}

std::optional<std::uint64_t>
operation_scheduler::start_attempt(const operation_record& rec,
                                   std::int64_t now) {
  auto def = registry_.find(rec.name);
  if (def == nullptr) {
    end_attempt(rec.id, attempt_end::cause::unrunnable, "",
                "The operation '" + rec.name + "' is no longer registered.",
                now);
    return std::nullopt;
  }
  operation_run run{def->codeunit, rec.inputs, rec.run_as, def->limit};
  run.inputs[attempt_parameter] = std::to_string(rec.retry_count);
  auto started = [st = state_, id = rec.id] {
    std::lock_guard<std::mutex> guard{st->mtx};
    st->started.push_back(id);
    st->cv.notify_all();
  };
  auto done = [st = state_, id = rec.id](operation_result result) {
    std::lock_guard<std::mutex> guard{st->mtx};
    st->results.emplace_back(id, std::move(result));
    st->cv.notify_all();
  };
  auto attempt
    = runner_.start(std::move(run), std::move(started), std::move(done));
  if (!attempt) {
    saturated_until_ = now + saturation_pause_ms;
    log_->debug("operation_id={} name={} event=start_refused reason=\"{}\"",
                rec.id, rec.name, caf::to_string(attempt.error()));
    end_attempt(rec.id, attempt_end::cause::refused, "", "", now);
    return std::nullopt;
  }
  log_->debug("operation_id={} name={} event=attempt_started attempt={} "
              "session_id={} run_as=\"{}\"",
              rec.id, rec.name, rec.retry_count + 1, *attempt, rec.run_as);
  return *attempt;
}

void operation_scheduler::settle(
  std::vector<std::string> started,
  std::vector<std::pair<std::string, operation_result>> results) {
  operation_store::progress turn;
  std::map<std::string, std::uint64_t> launched;
  {
    std::lock_guard<std::mutex> guard{state_->mtx};
    for (auto& id : started)
      if (auto i = state_->running.find(id); i != state_->running.end()) {
        i->second.started = true;
        launched.emplace(id, i->second.id);
        turn.started.push_back(id);
      }
  }
  for (auto& [id, result] : results)
    if (result.what == operation_result::status::succeeded)
      turn.succeeded.emplace_back(id, result.outputs);
  auto now = now_ms();
  // Starts and successes first, in one write: an attempt's start may come in
  // the same turn as its end. Should it fail, the turn is heard again.
  operation_store::progress_applied applied;
  if (!turn.started.empty() || !turn.succeeded.empty()) {
    try {
      applied = store_->advance(turn, now);
    } catch (...) {
      std::lock_guard<std::mutex> guard{state_->mtx};
      state_->started.insert(state_->started.begin(), started.begin(),
                             started.end());
      state_->results.insert(state_->results.begin(),
                             std::make_move_iterator(results.begin()),
                             std::make_move_iterator(results.end()));
      throw;
    }
  }
  {
    std::lock_guard<std::mutex> guard{state_->mtx};
    for (auto& [id, result] : results)
      state_->running.erase(id);
    state_->cv.notify_all();
  }
  if (!results.empty())
    saturated_until_.reset();
  for (auto& id : applied.unclaimed) {
    // A cancel ended it while it waited, just before its session launched.
    log_->debug("session_type=Background session_id={} operation_id={} "
                "event=canceled_attempt_stopped",
                launched[id], id);
    runner_.stop(launched[id], canceled_text);
  }
  for (auto& rec : applied.succeeded)
    complete(rec);
  for (auto& [id, result] : results) {
    if (result.what == operation_result::status::succeeded)
      continue;
    // One ending that fails to be written keeps none of the others from it.
    try {
      fail(id, std::move(result), now);
    } catch (const std::exception& e) {
      log_->error("operation_id={} event=attempt_end_failed reason=\"{}\"", id,
                  e.what());
    }
  }
}

void operation_scheduler::end_attempt(const std::string& id,
                                      attempt_end::cause why,
                                      std::string error_code,
                                      std::string error_message,
                                      std::int64_t now) {
  attempt_end end;
  end.why = why;
  end.error_code = std::move(error_code);
  end.error_message = std::move(error_message);
  end.now = now;
  end.max_retries = static_cast<std::int64_t>(retry_.max_retries());
  end.retry_at = [this, why, now](std::int64_t n) {
    // An interrupted attempt is no fault of the operation: no backoff.
    if (why == attempt_end::cause::interrupted)
      return now;
    return now
           + std::chrono::duration_cast<std::chrono::milliseconds>(
               retry_.delay(static_cast<std::size_t>(n)))
               .count();
  };
  auto settled = store_->end_attempt(id, end);
  if (settled.record.next_attempt_time)
    due_.insert(*settled.record.next_attempt_time);
  if (settled.verdict == attempt_verdict::retried)
    log_->info("operation_id={} name={} event=retry_scheduled retry={} "
               "due={} error=\"{}\"",
               id, settled.record.name, settled.record.retry_count,
               settled.record.next_attempt_time.value_or(now),
               settled.record.error_message);
  if (is_terminal(settled.record.status)
      && settled.verdict != attempt_verdict::none)
    complete(settled.record);
}

void operation_scheduler::fail(const std::string& id, operation_result result,
                               std::int64_t now) {
  using what = operation_result::status;
  switch (result.what) {
  case what::succeeded:
    return;
  case what::stopped:
    log_->info("operation_id={} event=attempt_stopped", id);
    // Stopped by a cancel, it says so; stopped otherwise (shutdown, or its
    // session stopped by hand), it was interrupted and runs again.
    end_attempt(id, attempt_end::cause::interrupted, "",
                result.error_message == stopped_by_cancel_text
                  ? stopped_by_cancel_text
                  : interrupted_text,
                now);
    return;
  case what::timed_out:
    if (result.error_message.empty())
      result.error_message = "The operation exceeded its execution limit.";
    break;
  case what::failed:
    break;
  }
  end_attempt(id, attempt_end::cause::failed, std::move(result.error_code),
              std::move(result.error_message), now);
}

} // namespace stagehand
