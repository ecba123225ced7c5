#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "actors/background_session_manager.hpp"
#include "data/session_event_log.hpp"
#include "tests/support/actor_fixture.hpp"
#include "tests/support/temp_data_dir.hpp"

namespace stagehand::test {

/// Inserts the PBTData row whose Code key is `Id` in the session's
/// transaction.
inline constexpr codeunit_id insert_codeunit = 60001;

/// A background session manager on CAF's deterministic scheduler, on a
/// company file of the test's own, with a codeunit that writes to it; the
/// manager's tests, split over several files, all start from it.
struct manager_fixture : actor_fixture {
  temp_data_dir data;
  background_session_manager_actor manager;

  manager_fixture() {
    svc_data->companies = data.directory();
    BOOST_REQUIRE(svc_data->companies->create("CRONUS"));
    svc_data->codeunits->add(insert_codeunit, "InsertCodeunit",
                             [](codeunit_context& ctx) {
                               auto id = ctx.parameters().at("Id");
                               ctx.db().query(
                                 "INSERT INTO PBTData (Id) VALUES (?)", {id});
                               ctx.set_result({{"Id", id}});
                             });
    manager = sys.spawn(background_session_manager, svc);
    sched.run();
  }

  ~manager_fixture() override {
    self->send(manager, shutdown_atom::value);
    sched.run();
    exec->run_all();
    sched.run();
  }

  caf::expected<session_id> start(codeunit_id codeunit, dictionary params = {},
                                  caf::timespan timeout = {},
                                  session_id caller = 0,
                                  std::string user = "ALICE") {
    start_session req;
    req.codeunit = codeunit;
    req.parameters = std::move(params);
    req.timeout = timeout;
    req.caller = caller;
    return ask<session_id>(manager,
                           launch_session{std::move(req), std::move(user)});
  }

  /// Asks for the outcome; the reply arrives when the session ends.
  void subscribe(session_id id) {
    self->send(manager, outcome_atom::value, id);
    sched.run();
  }

  /// Advances the clock to 1 ms before `deadline`, checks that nothing has
  /// ended yet, then to `deadline`, and returns the outcome that arrived.
  caf::expected<session_outcome> outcome_at(caf::timespan deadline) {
    advance_time(deadline - std::chrono::milliseconds(1));
    sched.run();
    BOOST_CHECK(!fetch<session_outcome>());
    advance_time(std::chrono::milliseconds(1));
    sched.run();
    return fetch<session_outcome>();
  }

  bool is_session_active_now(session_id id) {
    self->send(manager, is_active_atom::value, id);
    sched.run();
    auto active = fetch<bool>();
    return active && *active;
  }

  std::vector<session_event> rows(session_id id) {
    auto db = (*svc->companies->open("CRONUS"))->open_writer();
    BOOST_REQUIRE(db);
    return session_event_log::read(**db, id);
  }

  /// Adds a Session Event row `age` old for session `id`.
  void old_event(session_id id, caf::timespan age) {
    auto db = (*svc->companies->open("CRONUS"))->open_writer();
    BOOST_REQUIRE(db);
    session_event_log::record(
      **db, {id, session_event::kind::close,
             std::chrono::system_clock::now()
               - std::chrono::duration_cast<std::chrono::system_clock::duration>(
                 age),
             client_type::background, "OLD", "", ""});
  }

  /// True once the manager has terminated (a monitor's down message came).
  bool manager_down() {
    bool down = false;
    self->receive(
      [&](caf::down_msg& msg) {
        down = msg.source == manager.address();
      },
      caf::after(std::chrono::seconds(0)) >> [] {});
    return down;
  }

  std::int64_t pbt_rows() {
    auto db = (*svc->companies->open("CRONUS"))->open_writer();
    BOOST_REQUIRE(db);
    return std::get<std::int64_t>((*db)->query("SELECT count(*) FROM PBTData")[0][0]);
  }
};

} // namespace stagehand::test
