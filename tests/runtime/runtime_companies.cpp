// Tests runtime/runtime.hpp with company databases, on the real scheduler and
// real threads: reads and writes through the runtime, unknown companies, and
// that the durability policy reaches every company writer.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "core/errc.hpp"
#include "runtime/runtime.hpp"
#include "samples/sample_codeunits.hpp"
#include "tests/support/config_args.hpp"
#include "tests/support/deadline.hpp"
#include "tests/support/temp_data_dir.hpp"

using namespace stagehand;

namespace {

struct company_fixture {
  test::temp_data_dir dir;
  config cfg;
  std::unique_ptr<runtime> rt;
  session_handle session;

  company_fixture() {
    cfg.log_level = "off";
    cfg.data_dir = dir.path.string();
    rt = std::make_unique<runtime>(cfg);
    BOOST_REQUIRE(!samples::register_sample_codeunits(rt->codeunits()));
    auto admin = rt->open_admin_connection("CRONUS");
    BOOST_REQUIRE(admin);
    (*admin)->query("INSERT INTO PBTData VALUES ('R1', 5, 0, 0, 'a', 'b')");
    auto opened = rt->open_session(client_type::web_client, "CRONUS");
    BOOST_REQUIRE(opened);
    session = *opened;
  }

  std::string sum() {
    auto page = rt->open_page(session, "PBTDATA R1");
    auto result = rt->run_page_background_task(page, samples::sum_codeunit,
                                               {{"RecId", "R1"}});
    rt->close_page(page);
    BOOST_REQUIRE(result);
    return result->at("Sum");
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(runtime_companies, company_fixture)

BOOST_AUTO_TEST_CASE(pbt_sum_reads_empty_fields_as_zero_and_empty_text) {
  // AL fields are never null: a row written with only some columns sums and
  // concatenates as if the others held 0 and ''.
  BOOST_REQUIRE(rt->write(session, [](database& db) {
    db.query("INSERT INTO PBTData (Id, IntA) VALUES (?, ?)",
             {std::string{"R2"}, std::int64_t{4}});
  }));
  auto page = rt->open_page(session, "PBTDATA R2");
  auto result = rt->run_page_background_task(page, samples::sum_codeunit,
                                             {{"RecId", "R2"}});
  rt->close_page(page);
  BOOST_REQUIRE_MESSAGE(result, describe(result.error()));
  BOOST_CHECK_EQUAL(result->at("Sum"), "4");
  BOOST_CHECK_EQUAL(result->at("Concat"), "-");
}

BOOST_AUTO_TEST_CASE(
  a_session_write_commits_on_success_and_rolls_back_on_error) {
  BOOST_CHECK_EQUAL(sum(), "5");
  auto ok = rt->write(session, [](database& db) {
    db.query("UPDATE PBTData SET IntB = ? WHERE Id = ?",
             {std::int64_t{10}, std::string{"R1"}});
  });
  BOOST_CHECK(ok);
  BOOST_CHECK_EQUAL(sum(), "15");
  auto failed = rt->write(session, [](database& db) {
    db.query("UPDATE PBTData SET IntB = 1000 WHERE Id = 'R1'");
    throw std::runtime_error{"the posting failed"};
  });
  BOOST_REQUIRE(!failed);
  BOOST_CHECK_NE(describe(failed.error()).find("the posting failed"),
                 std::string::npos);
  BOOST_CHECK_EQUAL(sum(), "15");
}

BOOST_AUTO_TEST_CASE(a_child_reads_one_snapshot_while_the_user_writes) {
  std::atomic<bool> first_read{false};
  std::atomic<bool> written{false};
  BOOST_REQUIRE(
    !rt->codeunits().add(60001, "TwoReads", [&](codeunit_context& ctx) {
      auto read = [&] {
        auto rows = ctx.db().query("SELECT IntA FROM PBTData WHERE Id = 'R1'");
        return std::to_string(std::get<std::int64_t>(rows.at(0).at(0)));
      };
      auto before = read();
      first_read = true;
      // Bounded, so that a writer that never comes fails the check below
      // instead of hanging the suite.
      auto deadline = std::chrono::steady_clock::now() + test::wait_limit;
      while (!written && std::chrono::steady_clock::now() < deadline)
        ctx.sleep(std::chrono::milliseconds(1));
      ctx.set_result({{"before", before}, {"after", read()}});
    }));
  auto page = rt->open_page(session, "PBTDATA R1");
  // Boost.Test checks are not thread-safe: the writer only records.
  caf::expected<void> wrote{caf::error{}};
  std::thread user{[&] {
    auto deadline = std::chrono::steady_clock::now() + test::wait_limit;
    while (!first_read && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    wrote = rt->write(session, [](database& db) {
      db.query("UPDATE PBTData SET IntA = 6 WHERE Id = 'R1'");
    });
    written = true;
  }};
  auto result = rt->run_page_background_task(page, 60001);
  user.join();
  BOOST_CHECK_MESSAGE(first_read, "the child never read");
  BOOST_CHECK_MESSAGE(written, "the user never wrote");
  BOOST_CHECK(wrote);
  BOOST_REQUIRE(result);
  BOOST_CHECK_EQUAL(result->at("before"), "5");
  BOOST_CHECK_EQUAL(result->at("after"), "5");
  BOOST_CHECK_EQUAL(sum(), "6");
}

BOOST_AUTO_TEST_CASE(the_pool_bounds_children_that_query_at_once) {
  config small;
  small.log_level = "off";
  small.data_dir = dir.path.string();
  small.database_pool_size = 2;
  runtime rt2{small};
  std::atomic<int> querying{0};
  std::atomic<int> most{0};
  BOOST_REQUIRE(
    !rt2.codeunits().add(60002, "HoldConnection", [&](codeunit_context& ctx) {
      ctx.db().query("SELECT 1");
      auto now = ++querying;
      for (auto m = most.load(); now > m;)
        most.compare_exchange_weak(m, now);
      ctx.sleep(std::chrono::milliseconds(30));
      --querying;
    }));
  auto s = rt2.open_session(client_type::web_client, "CRONUS");
  BOOST_REQUIRE(s);
  auto page = rt2.open_page(*s, "PBTDATA R1");
  for (int i = 0; i < 5; ++i)
    BOOST_REQUIRE(rt2.enqueue_background_task(
      page, {60002, {}, caf::none, error_level::error, ""}));
  BOOST_REQUIRE(rt2.wait_all_tasks_done(page));
  BOOST_CHECK_EQUAL(most.load(), 2);
  BOOST_CHECK_EQUAL(rt2.stats().completed, 5u);
}

BOOST_AUTO_TEST_CASE(closing_a_session_twice_records_one_logoff) {
  BOOST_REQUIRE(rt->close_session(session));
  auto again = rt->close_session(session);
  BOOST_REQUIRE(!again);
  BOOST_CHECK(is(again.error(), errc::session_closed));
  auto events = rt->session_events("CRONUS", session.id);
  BOOST_REQUIRE(events);
  BOOST_REQUIRE_EQUAL(events->size(), 2u);
  BOOST_CHECK(events->at(0).what == session_event::kind::logon);
  BOOST_CHECK(events->at(1).what == session_event::kind::logoff);
}

BOOST_AUTO_TEST_CASE(a_throwing_session_observer_does_not_end_the_manager) {
  config other;
  other.log_level = "off";
  other.data_dir = (dir.path / "observed").string();
  std::atomic<int> seen{0};
  runtime observed{other, {}, [&seen](const session_notice&) {
                     ++seen;
                     throw std::runtime_error{"observer bug"};
                   }};
  BOOST_REQUIRE(!samples::register_sample_codeunits(observed.codeunits()));
  stagehand::start_session request;
  request.codeunit = samples::wait_codeunit;
  request.parameters = {{"Wait", "1"}};
  for (int i = 0; i < 2; ++i) {
    auto id = observed.start_session(request);
    BOOST_REQUIRE_MESSAGE(id, "start " << i << " was refused");
    auto outcome = observed.wait_session(*id);
    BOOST_REQUIRE_MESSAGE(outcome, "session " << i << " had no outcome");
    BOOST_CHECK(outcome->what == session_outcome::kind::completed);
  }
  BOOST_CHECK_GE(seen.load(), 4);
}

BOOST_AUTO_TEST_CASE(the_demo_company_exists_out_of_the_box) {
  // A runtime on a new data directory, and a child of the default session
  // (CRONUS) that reads PBTData before anyone created the company.
  config other;
  other.log_level = "off";
  other.data_dir = (dir.path / "new").string();
  runtime fresh{other};
  BOOST_REQUIRE(!samples::register_sample_codeunits(fresh.codeunits()));
  auto cronus = std::filesystem::path{other.data_dir} / "CRONUS.db";
  BOOST_REQUIRE(!std::filesystem::exists(cronus));
  auto fresh_session = fresh.open_session();
  BOOST_REQUIRE(fresh_session);
  auto p = fresh.open_page(*fresh_session, "PBTDATA R1");
  auto result = fresh.run_page_background_task(p, samples::sum_codeunit,
                                               {{"RecId", "R1"}});
  BOOST_REQUIRE(!result);
  BOOST_CHECK_EQUAL(describe(result.error()),
                    "Dialog: PBTData record ID R1 was not found.");
  BOOST_CHECK(std::filesystem::exists(cronus));
  // A session that names it opens it too.
  BOOST_CHECK(fresh.open_session(client_type::web_client, "CRONUS"));
}

BOOST_AUTO_TEST_CASE(other_companies_still_must_be_created_first) {
  auto result = rt->open_session(client_type::web_client, "FABRIKAM");
  BOOST_REQUIRE(!result);
  BOOST_CHECK(is(result.error(), errc::unknown_company));
  BOOST_CHECK_NE(describe(result.error())
                   .find("Company 'FABRIKAM' does not "
                         "exist"),
                 std::string::npos);
  BOOST_CHECK(!std::filesystem::exists(dir.path / "FABRIKAM.db"));
}

BOOST_AUTO_TEST_CASE(database_synchronous_reaches_every_company_writer) {
  BOOST_CHECK((*rt->open_admin_connection("CRONUS"))->synchronous()
              == synchronous_mode::normal);
  test::temp_data_dir full_dir;
  config full;
  BOOST_REQUIRE(!test::parse(full, {"--stagehand.log-level=off",
                              "--stagehand.data-dir=" + full_dir.path.string(),
                              "--stagehand.database-synchronous=full"}));
  runtime durable{full};
  auto admin = durable.open_admin_connection("CRONUS");
  BOOST_REQUIRE(admin);
  BOOST_CHECK((*admin)->synchronous() == synchronous_mode::full);
}

BOOST_AUTO_TEST_SUITE_END()
