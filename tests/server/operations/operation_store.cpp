// Tests server/operations/operation_store.hpp on a real system database: every
// transition's guard, idempotency, paging, recovery and TTL purge, with
// explicit clocks.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <thread>

#include "server/operations/operation_store.hpp"
#include "tests/support/temp_data_dir.hpp"

using namespace stagehand;
using kind = operation_store::cancel_outcome::kind;

namespace {

struct store_fixture {
  test::temp_data_dir dir;
  std::unique_ptr<operation_store> store = std::move(*operation_store::open(
    (dir.path / "system.db").string(), std::chrono::seconds(1)));
  int next = 0;

  operation_record make(std::int64_t created = 1000, std::string user = "u") {
    operation_record rec;
    rec.id = "00000000-0000-4000-8000-" + std::string(11, '0')
             + std::to_string(next++ % 10);
    rec.name = "op";
    rec.display_name = "Op";
    rec.inputs = {{"A", "1"}};
    rec.run_as = std::move(user);
    rec.created_on = created;
    rec.ttl_seconds = 10;
    rec.next_attempt_time = created;
    return rec;
  }

  operation_record insert(std::int64_t created = 1000, std::string user = "u") {
    auto out = store->insert(make(created, std::move(user)));
    BOOST_REQUIRE(out.what == operation_store::insert_outcome::kind::created);
    return out.record;
  }

  /// Claims the next due operation and starts its attempt at `now`.
  operation_record run_next(std::int64_t now) {
    auto rec = store->claim_next(now);
    BOOST_REQUIRE(rec);
    BOOST_REQUIRE(store->mark_started(rec->id, now));
    return *rec;
  }

  /// An attempt's end at `now`, with 3 retries, each due 100 ms later.
  static attempt_end ending(attempt_end::cause why, std::int64_t now,
                            std::string message = "boom") {
    attempt_end end;
    end.why = why;
    end.error_code = "E";
    end.error_message = std::move(message);
    end.now = now;
    end.max_retries = 3;
    end.retry_at = [now](std::int64_t n) {
      return now + 100 * n;
    };
    return end;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(server_operation_store, store_fixture)

BOOST_AUTO_TEST_CASE(its_commits_keep_the_durability_policy) {
  BOOST_CHECK(store->synchronous() == synchronous_mode::normal);
  test::temp_data_dir other;
  auto full
    = operation_store::open((other.path / "system.db").string(),
                            std::chrono::seconds(1), 1, synchronous_mode::full);
  BOOST_REQUIRE(full);
  BOOST_CHECK((*full)->synchronous() == synchronous_mode::full);
}

BOOST_AUTO_TEST_CASE(a_row_round_trips) {
  auto rec = insert();
  auto found = store->find(rec.id);
  BOOST_REQUIRE(found);
  BOOST_CHECK_EQUAL(found->name, "op");
  BOOST_CHECK((found->inputs == dictionary{{"A", "1"}}));
  BOOST_CHECK(found->status == operation_status::waiting_for_resources);
  BOOST_CHECK_EQUAL(found->ttl_seconds, 10);
  BOOST_CHECK(!store->find("nope"));
}

BOOST_AUTO_TEST_CASE(claims_go_by_due_time_then_order) {
  auto late = insert(2000);
  auto early = insert(1000);
  BOOST_CHECK(!store->claim_next(999));
  BOOST_CHECK_EQUAL(*store->next_due(), 1000);
  auto first = store->claim_next(5000);
  BOOST_REQUIRE(first);
  BOOST_CHECK_EQUAL(first->id, early.id);
  // Claimed, it still waits for its session: 0/0, not due again.
  BOOST_CHECK(first->status == operation_status::waiting_for_resources);
  BOOST_CHECK(!first->start_time);
  BOOST_CHECK(!first->next_attempt_time);
  BOOST_CHECK_EQUAL(store->claim_next(5000)->id, late.id);
  BOOST_CHECK(!store->claim_next(5000));
  BOOST_CHECK(!store->next_due());
  BOOST_CHECK(store->mark_started(early.id, 5100));
  auto running = store->find(early.id);
  BOOST_CHECK(running->status == operation_status::in_progress);
  BOOST_CHECK_EQUAL(*running->start_time, 5100);
  // Only a claimed operation starts, and only once.
  BOOST_CHECK(!store->mark_started(early.id, 5200));
  BOOST_CHECK_EQUAL(*store->find(early.id)->start_time, 5100);
}

BOOST_AUTO_TEST_CASE(a_refused_start_is_released_uncounted) {
  auto rec = insert();
  store->claim_next(1000);
  auto out
    = store->end_attempt(rec.id, ending(attempt_end::cause::refused, 1500));
  BOOST_CHECK(out.verdict == attempt_verdict::released);
  auto back = store->find(rec.id);
  BOOST_CHECK(back->status == operation_status::waiting_for_resources);
  BOOST_CHECK_EQUAL(back->retry_count, 0);
  BOOST_CHECK_EQUAL(*back->next_attempt_time, 1500);
  // Released, it is no longer claimed: a second end changes nothing.
  BOOST_CHECK(
    store->end_attempt(rec.id, ending(attempt_end::cause::refused, 1600))
      .verdict
    == attempt_verdict::none);
}

// -- a cancel request wins every ending (issue 10 item 4) ---------------------

BOOST_AUTO_TEST_CASE(a_cancel_between_claim_and_refusal_ends_canceled_at_once) {
  auto rec = insert();
  store->claim_next(1000);
  auto c = store->cancel(rec.id, std::nullopt, 1100);
  BOOST_CHECK(c.what == kind::canceled);
  BOOST_CHECK(c.record.status == operation_status::canceled);
  BOOST_CHECK(
    store->end_attempt(rec.id, ending(attempt_end::cause::refused, 1200))
      .verdict
    == attempt_verdict::none);
  BOOST_CHECK(store->find(rec.id)->status == operation_status::canceled);
  BOOST_CHECK(!store->claim_next(9999));
}

BOOST_AUTO_TEST_CASE(an_unregistered_name_with_a_cancel_request_ends_canceled) {
  auto rec = insert();
  run_next(1000);
  BOOST_CHECK(store->cancel(rec.id, std::nullopt, 1100).what
              == kind::canceling);
  auto out = store->end_attempt(
    rec.id, ending(attempt_end::cause::unrunnable, 1200, "gone"));
  BOOST_CHECK(out.verdict == attempt_verdict::canceled);
  BOOST_CHECK(out.record.status == operation_status::canceled);
  BOOST_CHECK_EQUAL(*out.record.end_time, 1200);
  // Without a cancel request it fails.
  auto other = insert();
  store->claim_next(2000);
  auto failed = store->end_attempt(
    other.id, ending(attempt_end::cause::unrunnable, 2100, "gone"));
  BOOST_CHECK(failed.verdict == attempt_verdict::failed);
  BOOST_CHECK(failed.record.status == operation_status::failed);
  BOOST_CHECK_EQUAL(failed.record.error_message, "gone");
}

BOOST_AUTO_TEST_CASE(
  a_failed_last_attempt_with_a_cancel_request_ends_canceled) {
  auto rec = insert();
  run_next(1000);
  for (std::int64_t t = 1100; t < 4000; t += 1000) {
    BOOST_CHECK(
      store->end_attempt(rec.id, ending(attempt_end::cause::failed, t)).verdict
      == attempt_verdict::retried);
    run_next(t + 500);
  }
  // Retries used up: this failure would end it Failed, but the cancel wins.
  store->cancel(rec.id, std::nullopt, 4000);
  auto out
    = store->end_attempt(rec.id, ending(attempt_end::cause::failed, 4100, "x"));
  BOOST_CHECK(out.verdict == attempt_verdict::canceled);
  BOOST_CHECK(store->find(rec.id)->status == operation_status::canceled);
  BOOST_CHECK_EQUAL(store->find(rec.id)->error_message, "x");
}

BOOST_AUTO_TEST_CASE(idempotency_keys_are_per_user_and_bound_to_the_body) {
  auto a = make();
  a.idempotency_key = "k";
  a.body_hash = "h1";
  BOOST_REQUIRE(store->insert(a).what
                == operation_store::insert_outcome::kind::created);
  auto same = make();
  same.idempotency_key = "k";
  same.body_hash = "h1";
  auto again = store->insert(same);
  BOOST_CHECK(again.what == operation_store::insert_outcome::kind::existing);
  BOOST_CHECK_EQUAL(again.record.id, a.id);
  auto other = make();
  other.idempotency_key = "k";
  other.body_hash = "h2";
  BOOST_CHECK(store->insert(other).what
              == operation_store::insert_outcome::kind::key_conflict);
  auto bobs = make(1000, "bob");
  bobs.idempotency_key = "k";
  bobs.body_hash = "h2";
  BOOST_CHECK(store->insert(bobs).what
              == operation_store::insert_outcome::kind::created);
}

BOOST_AUTO_TEST_CASE(cancel_in_each_state) {
  auto ready = insert();
  auto r = store->cancel(ready.id, std::nullopt, 3000);
  BOOST_CHECK(r.what == kind::canceled);
  BOOST_CHECK(r.record.status == operation_status::canceled);
  BOOST_CHECK(!store->claim_next(9999));
  auto claimed = insert();
  store->claim_next(1000);
  BOOST_CHECK(store->cancel(claimed.id, std::nullopt, 3000).what
              == kind::canceled);
  BOOST_CHECK(!store->mark_started(claimed.id, 3100));
  auto running = insert();
  run_next(1000);
  BOOST_CHECK(store->cancel(running.id, std::string{"other"}, 3000).what
              == kind::not_found);
  auto c = store->cancel(running.id, std::string{"u"}, 3000);
  BOOST_CHECK(c.what == kind::canceling);
  BOOST_CHECK(c.record.status == operation_status::canceling);
  BOOST_CHECK(c.record.cancel_requested);
  // Canceling may still succeed.
  auto ok = store->succeed(running.id, {{"x", "1"}}, 4000);
  BOOST_REQUIRE(ok);
  BOOST_CHECK(ok->status == operation_status::succeeded);
  BOOST_CHECK(store->cancel(running.id, std::nullopt, 5000).what
              == kind::terminal);
  BOOST_CHECK(store->cancel("nope", std::nullopt, 5000).what
              == kind::not_found);
}

BOOST_AUTO_TEST_CASE(a_retry_counts_and_keeps_the_error) {
  auto rec = insert();
  run_next(1000);
  auto retried
    = store->end_attempt(rec.id, ending(attempt_end::cause::failed, 1400));
  BOOST_CHECK(retried.verdict == attempt_verdict::retried);
  BOOST_CHECK_EQUAL(retried.record.retry_count, 1);
  BOOST_CHECK(retried.record.status == operation_status::waiting_for_resources);
  BOOST_CHECK_EQUAL(retried.record.error_code, "E");
  BOOST_CHECK(!store->claim_next(1499));
  run_next(1500);
  auto done = store->succeed(rec.id, {}, 1600);
  BOOST_CHECK_EQUAL(done->error_message, "boom");
}

BOOST_AUTO_TEST_CASE(interrupted_operations_are_requeued_canceled_or_failed) {
  auto plain = insert();
  auto canceled = insert();
  auto exhausted = insert();
  auto waiting = insert();
  for (int i = 0; i < 3; ++i)
    run_next(1000);
  store->claim_next(1000);
  store->cancel(canceled.id, std::nullopt, 1100);
  for (int i = 0; i < 3; ++i) {
    store->end_attempt(exhausted.id, ending(attempt_end::cause::failed, 900));
    run_next(1500);
  }
  auto ended = store->recover_interrupted(3, "stopped", 2000);
  BOOST_REQUIRE_EQUAL(ended.size(), 2u);
  BOOST_CHECK(store->find(canceled.id)->status == operation_status::canceled);
  auto failed = store->find(exhausted.id);
  BOOST_CHECK(failed->status == operation_status::failed);
  BOOST_CHECK_EQUAL(failed->error_message, "stopped");
  auto again = store->find(plain.id);
  BOOST_CHECK(again->status == operation_status::waiting_for_resources);
  BOOST_CHECK_EQUAL(again->retry_count, 1);
  BOOST_CHECK_EQUAL(*again->next_attempt_time, 2000);
  // Claimed but never started: due again, uncounted.
  auto unclaimed = store->find(waiting.id);
  BOOST_CHECK(unclaimed->status == operation_status::waiting_for_resources);
  BOOST_CHECK_EQUAL(unclaimed->retry_count, 0);
  BOOST_CHECK_EQUAL(*unclaimed->next_attempt_time, 2000);
}

BOOST_AUTO_TEST_CASE(purge_takes_expired_notified_terminal_rows_in_batches) {
  std::vector<operation_record> done;
  for (int i = 0; i < 5; ++i)
    done.push_back(insert(1000));
  auto waiting = insert(1000);
  // A subscriber, so that their endings leave them to notify.
  store->add_webhook({"w", operation_complete_event, "http://a", "r", 1});
  for (auto& rec : done)
    store->cancel(rec.id, std::nullopt, 1000);
  store->mark_notified(done[0].id, "");
  store->mark_notified(done[1].id, "");
  store->mark_notified(done[2].id, "");
  BOOST_CHECK_EQUAL(store->unnotified().size(), 2u);
  // ttl 10 s from 1000 ms, 1001 ms, ... (creation times are unique): the
  // three notified ones expired by 11002.
  BOOST_CHECK_EQUAL(store->purge_expired(10999, 2), 0u);
  BOOST_CHECK_EQUAL(store->purge_expired(11002, 2), 2u);
  BOOST_CHECK_EQUAL(store->purge_expired(11002, 2), 1u);
  BOOST_CHECK_EQUAL(store->purge_expired(11002, 2), 0u);
  BOOST_CHECK(store->find(waiting.id));
  BOOST_CHECK(store->find(done[4].id));
}

BOOST_AUTO_TEST_CASE(an_ending_with_nothing_to_deliver_is_notified_at_once) {
  insert(1000);
  auto quiet = run_next(1000);
  auto called_back = make(1000);
  called_back.callback_url = "http://cb.test/";
  BOOST_REQUIRE(store->insert(called_back).what
                == operation_store::insert_outcome::kind::created);
  run_next(1000);
  // No callback and no subscriber: the ending's own write notifies it.
  BOOST_CHECK(store->succeed(quiet.id, {}, 1100)->notified);
  BOOST_CHECK(!store->succeed(called_back.id, {}, 1100)->notified);
  auto canceled = insert(1000);
  BOOST_CHECK(store->cancel(canceled.id, std::nullopt, 1100).record.notified);
  insert(1000);
  auto failed = run_next(1000);
  auto end = ending(attempt_end::cause::unrunnable, 1100);
  BOOST_CHECK(store->end_attempt(failed.id, end).record.notified);
  // A subscriber of the completion event is someone to deliver to.
  store->add_webhook({"w", operation_complete_event, "http://a", "r", 1});
  insert(1000);
  auto heard = run_next(1000);
  BOOST_CHECK(!store->succeed(heard.id, {}, 1200)->notified);
  BOOST_CHECK_EQUAL(store->unnotified().size(), 2u);
}

BOOST_AUTO_TEST_CASE(listing_filters_and_pages) {
  for (int i = 0; i < 5; ++i)
    insert(1000, i % 2 == 0 ? "u" : "v");
  operation_query q;
  q.top = 2;
  auto page = store->list(q);
  BOOST_REQUIRE_EQUAL(page.size(), 2u);
  q.after = page.back().seq;
  BOOST_CHECK_EQUAL(store->list(q).size(), 2u);
  operation_query mine;
  mine.run_as = "v";
  BOOST_CHECK_EQUAL(store->list(mine).size(), 2u);
  operation_query done;
  done.status = operation_status::succeeded;
  BOOST_CHECK(store->list(done).empty());
  auto counts = store->count_by_status();
  BOOST_CHECK_EQUAL(counts[operation_status::waiting_for_resources], 5);
}

BOOST_AUTO_TEST_CASE(webhooks_are_kept_per_event) {
  store->add_webhook(
    {"w1", "OnBackgroundOperationComplete", "http://a", "r", 1});
  store->add_webhook({"w2", "Other", "http://b", "r", 2});
  auto hooks = store->webhooks("OnBackgroundOperationComplete");
  BOOST_REQUIRE_EQUAL(hooks.size(), 1u);
  BOOST_CHECK_EQUAL(hooks[0].url, "http://a");
  // The list is cached after that read; a new subscriber still shows.
  store->add_webhook(
    {"w3", "OnBackgroundOperationComplete", "http://c", "r", 3});
  hooks = store->webhooks("OnBackgroundOperationComplete");
  BOOST_REQUIRE_EQUAL(hooks.size(), 2u);
  BOOST_CHECK_EQUAL(hooks[1].url, "http://c");
}

BOOST_AUTO_TEST_CASE(status_reads_follow_every_commit_while_others_read_too) {
  // Status reads use their own read-only connections; a reader left on an
  // old snapshot would see a status go back or never see the end.
  std::vector<operation_record> ops;
  for (int i = 0; i < 8; ++i)
    ops.push_back(insert());
  std::atomic<bool> done{false};
  std::atomic<int> regressions{0};
  auto poll = [&] {
    std::vector<int> seen(ops.size(), 0);
    while (!done.load()) {
      for (std::size_t i = 0; i < ops.size(); ++i) {
        auto now = status_code(store->find(ops[i].id)->status);
        if (now < seen[i])
          ++regressions;
        seen[i] = now;
      }
    }
  };
  std::thread a{poll};
  std::thread b{poll};
  for (std::int64_t t = 1000; auto rec = store->claim_next(t); ++t)
    BOOST_CHECK(store->mark_started(rec->id, t));
  for (auto& op : ops)
    BOOST_CHECK(store->succeed(op.id, {}, 2000));
  done = true;
  a.join();
  b.join();
  BOOST_CHECK_EQUAL(regressions.load(), 0);
  for (auto& op : ops)
    BOOST_CHECK(store->find(op.id)->status == operation_status::succeeded);
  operation_query finished;
  finished.status = operation_status::succeeded;
  BOOST_CHECK_EQUAL(store->list(finished).size(), ops.size());
  BOOST_CHECK_EQUAL(store->count_by_status()[operation_status::succeeded], 8);
}

BOOST_AUTO_TEST_SUITE_END()
