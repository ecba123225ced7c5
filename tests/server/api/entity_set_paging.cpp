// Tests server/api/entity_set_endpoint.hpp's paging: by `createdon` while
// other threads insert, as racing submits do, each row is seen exactly once;
// a link's `$skiptoken` is this server run's own.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/guid.hpp"
#include "core/wall_clock.hpp"
#include "server/http/query_string.hpp"
#include "tests/support/deadline.hpp"
#include "tests/support/server_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;

namespace {

constexpr int writers = 4;
constexpr int rows_per_writer = 150;
constexpr std::size_t page_size = 20;

/// A finished operation of alice's whose submit read `clock`, stored
/// without running.
operation_record finished(std::int64_t clock) {
  operation_record rec;
  rec.id = make_guid();
  rec.name = "sample_Echo";
  rec.display_name = "Echo";
  rec.status = operation_status::succeeded;
  rec.run_as = "alice";
  rec.created_on = clock;
  rec.ttl_seconds = 3600;
  return rec;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(server_entity_set, server_fixture)

BOOST_AUTO_TEST_CASE(paging_by_createdon_while_threads_insert_sees_each_once) {
  start();
  std::atomic<std::size_t> committed{0};
  std::atomic<int> running{writers};
  std::vector<std::set<std::string>> inserted(writers);
  std::vector<std::thread> threads;
  // Joined however the test ends, so that a failed check cannot leave a
  // thread writing to a server that is gone.
  struct joiner {
    std::vector<std::thread>& threads;
    void join() {
      for (auto& t : threads)
        if (t.joinable())
          t.join();
    }
    ~joiner() {
      join();
    }
  } writers_done{threads};
  for (int w = 0; w < writers; ++w)
    threads.emplace_back([&, w] {
      for (int i = 0; i < rows_per_writer; ++i) {
        // A submit reads the clock, then waits up to 0.2 s for its commit
        // while others commit: its clock is behind rows already stored.
        auto behind = (i * 37 + w * 53) % 200;
        auto rec = finished(now_ms() - behind);
        inserted[w].insert(rec.id);
        server->store().insert(rec);
        ++committed;
      }
      --running;
    });
  auto c = client(alice_key);
  std::set<std::string> seen;
  std::size_t twice = 0;
  std::string target = "/api/data/v9.2/backgroundoperations?$orderby="
                       + percent_encode("createdon asc")
                       + "&$top=" + std::to_string(page_size);
  for (;;) {
    // While rows are still coming, read a page only once more rows than it
    // holds were committed after those seen: a link to the next page is
    // then due, unless rows landed behind the page's end.
    require_eventually(
      [&] {
        return running == 0 || committed >= seen.size() + page_size + 1;
      },
      "rows committed ahead of the pages");
    auto res = c.get(target);
    BOOST_REQUIRE_EQUAL(res.status, 200u);
    auto body = res.json();
    for (auto& row : body.at("value"))
      twice += seen.insert(row.at("backgroundoperationid").get<std::string>())
                   .second
                 ? 0
                 : 1;
    if (!body.contains("@odata.nextLink"))
      break;
    target = body.at("@odata.nextLink")
               .get<std::string>()
               .substr(server->base_url().size());
  }
  writers_done.join();
  BOOST_CHECK_EQUAL(twice, 0u);
  std::size_t missed = 0;
  for (auto& ids : inserted)
    for (auto& id : ids)
      missed += seen.count(id) == 1 ? 0 : 1;
  BOOST_CHECK_EQUAL(missed, 0u);
  BOOST_CHECK_EQUAL(seen.size(), std::size_t{writers * rows_per_writer});
}

BOOST_AUTO_TEST_CASE(a_link_from_before_a_restart_answers_400) {
  start();
  auto c = client();
  for (int i = 0; i < 2; ++i)
    c.wait_terminal(c.submit("sample_Echo", "{}"));
  auto link = c.get("/api/data/v9.2/backgroundoperations?$top=1")
                .json()
                .at("@odata.nextLink")
                .get<std::string>()
                .substr(server->base_url().size());
  BOOST_CHECK_EQUAL(c.get(link).status, 200u);
  // The key of its token was made at the last start.
  restart();
  check_error(client().get(link), 400,
              "The query option '$skiptoken' is not one this server issued "
              "for this query; take it from '@odata.nextLink' unchanged, "
              "with the same $filter and $orderby.");
}

BOOST_AUTO_TEST_SUITE_END()
