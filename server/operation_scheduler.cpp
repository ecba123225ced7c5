#include "server/operation_scheduler.hpp"

#include <algorithm>
#include <condition_variable>
#include <set>
#include <vector>

#include "messages/attempt_parameter.hpp"
#include "runtime/wall_clock.hpp"

namespace stagehand {

namespace {

/// How long the scheduler pauses starting attempts after the runner refused
/// one (its queue is full), unless an attempt ends first.
constexpr std::int64_t saturation_pause_ms = 250;

/// How long shutdown waits for stopped attempts to report before it marks
/// them for retry itself (a codeunit may ignore cancellation).
constexpr auto stop_wait = std::chrono::seconds(5);

/// After a failure of the database itself, the next try.
constexpr std::int64_t error_pause_ms = 1000;

const char* interrupted_text = "The server stopped while the operation ran.";

const char* shutdown_text = "The server is shutting down.";

const char* canceled_text = "The operation was canceled.";

} // namespace

struct operation_scheduler::shared_state {
  /// An attempt the runner accepted and has not ended.
  struct attempt {
    std::uint64_t id = 0;
    /// False while it waits for a background-session slot.
    bool started = false;
  };

  std::mutex mtx;
  std::condition_variable cv;
  /// Operations whose attempt began, in the runner's order; each comes
  /// before that attempt's entry in `results`.
  std::vector<std::string> started;
  std::vector<std::pair<std::string, operation_result>> results;
  /// Operation id → attempt, for every attempt the runner has not ended.
  std::map<std::string, attempt> running;
  /// Attempts between their claim and the runner's answer.
  std::size_t starting = 0;
  /// Operations canceled while a start was in flight: if one of them is
  /// that start's, its attempt is stopped at once (see `start_in_flight`).
  std::set<std::string> canceled_while_starting;
  bool woken = false;
  bool draining = false;
  bool stopping = false;
};

/// Counts one start as in flight, from before its claim until the runner
/// answered, so that shutdown waits for it; the count ends however the
/// start ends, an exception included.
class operation_scheduler::start_in_flight {
public:
  explicit start_in_flight(shared_state& st) : st_(st) {
    std::lock_guard<std::mutex> guard{st_.mtx};
    counted_ = !st_.draining;
    if (counted_)
      ++st_.starting;
  }

  start_in_flight(const start_in_flight&) = delete;
  start_in_flight& operator=(const start_in_flight&) = delete;

  ~start_in_flight() {
    if (counted_)
      end({}, std::nullopt);
  }

  /// False if shutdown began: nothing may start.
  explicit operator bool() const noexcept {
    return counted_;
  }

  /// Ends the count and registers `attempt` of `id` as running.
  /// @returns false if a cancel ended the operation meanwhile: the caller
  ///          stops the attempt, which then ends like any other.
  bool end(const std::string& id, std::optional<std::uint64_t> attempt) {
    std::lock_guard<std::mutex> guard{st_.mtx};
    counted_ = false;
    --st_.starting;
    auto keep = true;
    if (attempt) {
      st_.running.emplace(id, shared_state::attempt{*attempt, false});
      keep = st_.canceled_while_starting.count(id) == 0;
    }
    if (st_.starting == 0)
      st_.canceled_while_starting.clear();
    st_.cv.notify_all();
    return keep;
  }

private:
  shared_state& st_;
  bool counted_ = false;
};

operation_scheduler::operation_scheduler(
  const config& cfg, std::shared_ptr<operation_store> store,
  const operation_registry& registry, operation_runner& runner,
  std::shared_ptr<spdlog::logger> log)
  : cfg_(cfg), store_(std::move(store)), registry_(registry), runner_(runner),
    log_(std::move(log)), retry_(cfg), state_(std::make_shared<shared_state>()) {
}

operation_scheduler::~operation_scheduler() {
  if (!shut_down_)
    shutdown(caf::timespan{0});
}

void operation_scheduler::set_completion_sink(completion_sink sink) {
  sink_ = std::move(sink);
}

void operation_scheduler::start(std::string location_base) {
  location_base_ = std::move(location_base);
  auto now = now_ms();
  store_->recover_interrupted(static_cast<std::int64_t>(retry_.max_retries()),
                              interrupted_text, now);
  for (auto& rec : store_->unnotified())
    complete(rec);
  thread_ = std::thread{[this] { run(); }};
}

void operation_scheduler::wake() {
  std::lock_guard<std::mutex> guard{state_->mtx};
  state_->woken = true;
  state_->cv.notify_all();
}

std::string operation_scheduler::location_of(const std::string& id) const {
  return location_base_ + "/api/backgroundoperation/" + id;
}

// -- requests -----------------------------------------------------------------

operation_store::cancel_outcome
operation_scheduler::cancel(const std::string& id,
                            const std::optional<std::string>& run_as) {
  auto outcome = store_->cancel(id, run_as, now_ms());
  using kind = operation_store::cancel_outcome::kind;
  if (outcome.what == kind::canceled || outcome.what == kind::canceling)
    log_->info("operation_id={} name={} event=cancel_requested outcome={}", id,
               outcome.record.name,
               outcome.what == kind::canceled ? "canceled" : "canceling");
  if (outcome.what == kind::canceled) {
    // It may have been claimed, its attempt waiting for a session slot:
    // that attempt never begins.
    std::optional<std::uint64_t> waiting;
    {
      std::lock_guard<std::mutex> guard{state_->mtx};
      if (auto i = state_->running.find(id); i != state_->running.end())
        waiting = i->second.id;
      else if (state_->starting > 0)
        state_->canceled_while_starting.insert(id);
    }
    if (waiting) {
      log_->debug("session_type=Background session_id={} operation_id={} "
                  "event=waiting_attempt_stopped",
                  *waiting, id);
      runner_.stop(*waiting, canceled_text);
    }
    complete(outcome.record);
  }
  return outcome;
}

void operation_scheduler::await(const std::string& id, waiter fn) {
  auto once = std::make_shared<std::atomic<bool>>(false);
  auto closing = false;
  {
    std::lock_guard<std::mutex> guard{waiters_mtx_};
    closing = closing_;
    if (!closing)
      waiters_.emplace(id,
                       [once, fn = std::move(fn)](const operation_record& r) {
                         if (!once->exchange(true))
                           fn(r);
                       });
  }
  // Shutting down: nothing more starts, so it hears where it stands now.
  if (closing) {
    auto rec = store_->find(id);
    fn(rec ? *rec : operation_record{});
    return;
  }
  // It may have ended before the waiter was in place.
  if (auto rec = store_->find(id); rec && is_terminal(rec->status))
    answer_waiters(id, *rec);
}

void operation_scheduler::answer_waiters(const std::string& id,
                                         const operation_record& rec) {
  std::vector<waiter> due;
  {
    std::lock_guard<std::mutex> guard{waiters_mtx_};
    auto [first, last] = waiters_.equal_range(id);
    for (auto i = first; i != last; ++i)
      due.push_back(std::move(i->second));
    waiters_.erase(first, last);
  }
  for (auto& fn : due)
    fn(rec);
}

// -- the scheduler thread -----------------------------------------------------

void operation_scheduler::run() {
  auto next_purge = now_ms();
  for (;;) {
    std::vector<std::string> started;
    std::vector<std::pair<std::string, operation_result>> results;
    bool draining = false;
    bool stopping = false;
    {
      std::lock_guard<std::mutex> guard{state_->mtx};
      started.swap(state_->started);
      results.swap(state_->results);
      state_->woken = false;
      draining = state_->draining;
      stopping = state_->stopping;
    }
    auto wake_at = now_ms() + error_pause_ms;
    try {
      // A batch may hold an attempt's start and its end: starts first.
      for (auto& id : started)
        handle_start(id);
      for (auto& [id, result] : results)
        handle(id, std::move(result));
      if (stopping)
        return;
      auto now = now_ms();
      if (saturated_until_ && *saturated_until_ <= now)
        saturated_until_.reset();
      if (!draining)
        dispatch(now);
      if (now >= next_purge) {
        auto batch = cfg_.operation_ttl_purge_batch;
        auto purged = store_->purge_expired(now, batch);
        if (purged > 0)
          log_->debug("event=ttl_purge deleted={}", purged);
        // A full batch may mean more are due: the next loop deletes the
        // next batch, after requests had their turn at the database.
        next_purge = purged == batch
                       ? now
                       : now
                           + std::chrono::duration_cast<
                               std::chrono::milliseconds>(
                               cfg_.operation_ttl_purge_interval)
                               .count();
      }
      wake_at = next_purge;
      if (saturated_until_)
        wake_at = std::min(wake_at, *saturated_until_);
      else if (auto due = store_->next_due(); due && !draining)
        wake_at = std::min(wake_at, *due);
    } catch (const std::exception& e) {
      log_->error("event=scheduler_failed reason=\"{}\"", e.what());
    }
    std::unique_lock<std::mutex> guard{state_->mtx};
    state_->cv.wait_for(guard,
                        std::chrono::milliseconds(
                          std::max<std::int64_t>(0, wake_at - now_ms())),
                        [this] {
                          return state_->woken || state_->stopping
                                 || !state_->results.empty()
                                 || !state_->started.empty();
                        });
  }
}

void operation_scheduler::dispatch(std::int64_t now) {
  while (!saturated_until_) {
    // Counted as starting before the claim, so that shutdown, which stops
    // only what it knows to run, waits for a start in flight.
    start_in_flight start{*state_};
    if (!start)
      return;
    auto rec = store_->claim_next(now);
    if (!rec)
      return;
    auto attempt = start_attempt(*rec, now);
    if (!start.end(rec->id, attempt)) {
      log_->debug("session_type=Background session_id={} operation_id={} "
                  "event=waiting_attempt_stopped",
                  *attempt, rec->id);
      runner_.stop(*attempt, canceled_text);
    }
  }
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
  auto attempt = runner_.start(std::move(run), std::move(started),
                               std::move(done));
  if (!attempt) {
    saturated_until_ = now + saturation_pause_ms;
    log_->info("operation_id={} name={} event=start_refused reason=\"{}\"",
               rec.id, rec.name, caf::to_string(attempt.error()));
    end_attempt(rec.id, attempt_end::cause::refused, "", "", now);
    return std::nullopt;
  }
  log_->info("operation_id={} name={} event=attempt_started attempt={} "
             "retry_count={} run_as=\"{}\"",
             rec.id, rec.name, *attempt, rec.retry_count, rec.run_as);
  return *attempt;
}

void operation_scheduler::handle_start(const std::string& id) {
  std::optional<std::uint64_t> attempt;
  {
    std::lock_guard<std::mutex> guard{state_->mtx};
    if (auto i = state_->running.find(id); i != state_->running.end()) {
      i->second.started = true;
      attempt = i->second.id;
    }
  }
  if (!attempt)
    return;
  if (store_->mark_started(id, now_ms())) {
    log_->debug("session_type=Background session_id={} operation_id={} "
                "event=attempt_launched",
                *attempt, id);
    return;
  }
  // A cancel ended it while it waited, just before its session launched.
  log_->debug("session_type=Background session_id={} operation_id={} "
              "event=canceled_attempt_stopped",
              *attempt, id);
  runner_.stop(*attempt, canceled_text);
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

void operation_scheduler::handle(const std::string& id,
                                 operation_result result) {
  {
    std::lock_guard<std::mutex> guard{state_->mtx};
    state_->running.erase(id);
    state_->cv.notify_all();
  }
  saturated_until_.reset();
  auto now = now_ms();
  using what = operation_result::status;
  switch (result.what) {
  case what::succeeded:
    if (auto rec = store_->succeed(id, result.outputs, now))
      complete(*rec);
    return;
  case what::stopped:
    log_->info("operation_id={} event=attempt_stopped", id);
    end_attempt(id, attempt_end::cause::interrupted, "", interrupted_text,
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

void operation_scheduler::complete(const operation_record& rec) {
  log_->info("operation_id={} name={} event=completed status={} "
             "retry_count={}",
             rec.id, rec.name, status_code(rec.status), rec.retry_count);
  answer_waiters(rec.id, rec);
  if (!sink_) {
    store_->mark_notified(rec.id, "");
    return;
  }
  operation_completion c{rec.id, rec.name, location_of(rec.id), rec.status,
                         "", "", rec.callback_url};
  if (rec.status != operation_status::succeeded) {
    c.error_code = rec.error_code;
    c.error_message = rec.error_message;
  }
  sink_(c, [store = store_, log = log_, id = rec.id](const std::string& failure) {
    try {
      store->mark_notified(id, failure);
    } catch (const std::exception& e) {
      log->error("operation_id={} event=mark_notified_failed reason=\"{}\"",
                 id, e.what());
    }
  });
}

// -- shutdown -----------------------------------------------------------------

void operation_scheduler::shutdown(caf::timespan grace) {
  if (shut_down_)
    return;
  shut_down_ = true;
  {
    std::lock_guard<std::mutex> guard{waiters_mtx_};
    closing_ = true;
  }
  std::map<std::string, shared_state::attempt> left;
  {
    std::unique_lock<std::mutex> guard{state_->mtx};
    state_->draining = true;
    state_->cv.notify_all();
    if (thread_.joinable()) {
      // A start in flight ends first (the runner answers at once), so that
      // its attempt is known here. Attempts still waiting for a session slot
      // then never begin: their operations wait for the restart, their
      // tries uncounted.
      state_->cv.wait_for(guard, stop_wait,
                          [this] { return state_->starting == 0; });
      std::vector<std::uint64_t> waiting;
      for (auto& [id, attempt] : state_->running)
        if (!attempt.started)
          waiting.push_back(attempt.id);
      guard.unlock();
      for (auto attempt : waiting)
        runner_.stop(attempt, shutdown_text);
      guard.lock();
      auto idle = [this] {
        return state_->running.empty() && state_->starting == 0;
      };
      if (!state_->cv.wait_for(guard, grace, idle)) {
        auto stopping = state_->running;
        guard.unlock();
        for (auto& [id, attempt] : stopping)
          runner_.stop(attempt.id, shutdown_text);
        guard.lock();
        state_->cv.wait_for(guard, stop_wait, idle);
      }
    }
    left = state_->running;
    state_->stopping = true;
    state_->cv.notify_all();
  }
  if (thread_.joinable())
    thread_.join();
  try {
    // Attempts that ignored the stop: their results will go nowhere, so
    // they count as interrupted now, as after a crash.
    for (auto& [id, attempt] : left) {
      log_->warn("operation_id={} attempt={} event=attempt_abandoned", id,
                 attempt.id);
      end_attempt(id, attempt_end::cause::interrupted, "", interrupted_text,
                  now_ms());
    }
    std::multimap<std::string, waiter> waiting;
    {
      std::lock_guard<std::mutex> guard{waiters_mtx_};
      waiting.swap(waiters_);
    }
    for (auto& [id, fn] : waiting) {
      auto rec = store_->find(id);
      fn(rec ? *rec : operation_record{});
    }
    store_->checkpoint();
  } catch (const std::exception& e) {
    log_->error("event=shutdown_failed reason=\"{}\"", e.what());
  }
  log_->info("event=scheduler_stopped abandoned={}", left.size());
}

} // namespace stagehand
