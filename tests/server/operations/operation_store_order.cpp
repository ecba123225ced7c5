// Tests the order of server/operations/operation_store.hpp's rows: creation
// times stamped in the insert's transaction, unique and rising in commit
// order whatever the callers' clocks say, so that paging by `createdon`
// misses no row; and pages by end time that split rows ending together.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <vector>

#include "server/operations/entity_query.hpp"
#include "server/operations/operation_store.hpp"
#include "tests/support/temp_data_dir.hpp"

using namespace stagehand;

namespace {

struct created_on_fixture {
  test::temp_data_dir dir;
  std::unique_ptr<operation_store> store = std::move(*operation_store::open(
    (dir.path / "system.db").string(), std::chrono::seconds(1)));
  int next = 0;

  /// A row whose caller's clock read `clock` when it was submitted.
  operation_record make(std::int64_t clock) {
    operation_record rec;
    rec.id = "00000000-0000-4000-8000-" + std::to_string(100000000000 + next++);
    rec.name = "op";
    rec.display_name = "Op";
    rec.run_as = "u";
    rec.created_on = clock;
    rec.ttl_seconds = 10;
    rec.next_attempt_time = clock;
    return rec;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(server_operation_store, created_on_fixture)

BOOST_AUTO_TEST_CASE(creation_times_rise_in_commit_order_when_clocks_go_back) {
  std::vector<operation_record> stored;
  // The first row keeps its clock; later ones never go below the latest.
  for (auto clock : {5000, 5000, 4000, 7000, 6999})
    stored.push_back(store->insert(make(clock)).record);
  std::vector<operation_record> batch;
  for (auto clock : {1000, 9000, 9000, 2000})
    batch.push_back(make(clock));
  for (auto& outcome : store->insert_all(batch))
    stored.push_back(outcome.record);
  std::vector<std::int64_t> times;
  for (auto& rec : stored) {
    times.push_back(rec.created_on);
    // What the insert answered (a 202's record) is what is stored.
    BOOST_CHECK_EQUAL(store->find(rec.id)->created_on, rec.created_on);
  }
  BOOST_CHECK(times
              == (std::vector<std::int64_t>{5000, 5001, 5002, 7000, 7001, 7002,
                                            9000, 9001, 9002}));
  // An idempotent repeat answers the stored row and stamps nothing.
  auto keyed = make(20000);
  keyed.idempotency_key = "k";
  auto first = store->insert(keyed).record;
  keyed.id = "00000000-0000-4000-8000-999999999999";
  keyed.created_on = 100;
  auto again = store->insert(keyed);
  BOOST_CHECK(again.what == operation_store::insert_outcome::kind::existing);
  BOOST_CHECK_EQUAL(again.record.created_on, first.created_on);
}

BOOST_AUTO_TEST_CASE(the_time_to_live_counts_from_the_stored_creation_time) {
  store->add_webhook({"w", operation_complete_event, "http://a", "r", 1});
  auto early = store->insert(make(1000)).record;
  // Stamped 1001: ttl 10 s, so it expires at 11001, not at 10000.
  auto late = store->insert(make(0)).record;
  BOOST_REQUIRE_EQUAL(late.created_on, 1001);
  for (auto& rec : {early, late}) {
    store->cancel(rec.id, std::nullopt, 1001);
    store->mark_notified(rec.id, "");
  }
  BOOST_CHECK_EQUAL(store->purge_expired(11000, 10), 1u);
  BOOST_CHECK(store->find(late.id));
  BOOST_CHECK_EQUAL(store->purge_expired(11001, 10), 1u);
  BOOST_CHECK(!store->find(late.id));
}

BOOST_AUTO_TEST_CASE(pages_by_end_time_split_rows_that_ended_together) {
  // Ten rows end in one write, at one time; two never end.
  std::vector<std::string> ended;
  for (int i = 0; i < 10; ++i)
    ended.push_back(store->insert(make(1000)).record.id);
  operation_store::progress turn;
  for (auto& rec : store->claim_due(1000, 10)) {
    turn.started.push_back(rec.id);
    turn.succeeded.emplace_back(rec.id, dictionary{});
  }
  BOOST_REQUIRE_EQUAL(store->advance(turn, 2000).succeeded.size(), 10u);
  std::vector<std::string> unfinished;
  for (int i = 0; i < 2; ++i)
    unfinished.push_back(store->insert(make(3000)).record.id);
  for (auto descending : {false, true}) {
    entity_query q;
    q.order = entity_query::order_by::end_time;
    q.descending = descending;
    q.top = 3;
    std::vector<std::string> seen;
    for (;;) {
      auto page = store->query(q);
      for (auto& rec : page)
        seen.push_back(rec.id);
      if (page.size() < q.top)
        break;
      q.after = q.position_of(page.back());
    }
    // Unfinished rows sort first ascending; ties go by insertion.
    auto expected = unfinished;
    expected.insert(expected.end(), ended.begin(), ended.end());
    if (descending)
      std::reverse(expected.begin(), expected.end());
    BOOST_CHECK_MESSAGE(seen == expected, (descending ? "desc" : "asc")
                                            << ": " << seen.size()
                                            << " rows, not in order");
  }
}

BOOST_AUTO_TEST_SUITE_END()
