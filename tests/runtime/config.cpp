// Tests runtime/config.hpp: SPEC.md §1 defaults, and that the INI file and
// the command line both set them.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "runtime/config.hpp"
#include "tests/support/config_args.hpp"

using namespace stagehand;
using namespace stagehand::test;

BOOST_AUTO_TEST_SUITE(runtime_config)

BOOST_AUTO_TEST_CASE(defaults_are_the_platform_s) {
  config cfg;
  BOOST_CHECK_EQUAL(cfg.limits.max_concurrency, 5u);
  BOOST_CHECK_EQUAL(cfg.limits.max_queue_length, 100u);
  BOOST_CHECK(cfg.limits.default_timeout == std::chrono::minutes(2));
  BOOST_CHECK(cfg.limits.max_timeout == std::chrono::minutes(10));
  BOOST_CHECK_EQUAL(cfg.data_dir, "./data");
  BOOST_CHECK_EQUAL(cfg.database_pool_size, 8u);
  BOOST_CHECK(cfg.database_busy_timeout == std::chrono::seconds(5));
  BOOST_CHECK(cfg.synchronous() == synchronous_mode::normal);
  BOOST_CHECK(!cfg.validate());
}

BOOST_AUTO_TEST_CASE(caf_scheduler_skips_its_sleeping_poll_phase) {
  auto moderate = [](const config& cfg) {
    return caf::get_or(cfg, "work-stealing.moderate-poll-attempts",
                       std::size_t{500});
  };
  config ours;
  BOOST_REQUIRE(!parse(ours, {}));
  BOOST_CHECK_EQUAL(moderate(ours), 0u);
  config theirs;
  BOOST_REQUIRE(!parse(theirs, {"--work-stealing.moderate-poll-attempts=7"}));
  BOOST_CHECK_EQUAL(moderate(theirs), 7u);
}

BOOST_AUTO_TEST_CASE(the_command_line_sets_each_key) {
  config cfg;
  BOOST_REQUIRE(!parse(
    cfg,
    {"--stagehand.child-sessions-max-concurrency=3",
     "--stagehand.child-sessions-max-queue-length=7",
     "--stagehand.page-background-task-default-timeout=30s",
     "--stagehand.page-background-task-max-timeout=5min",
     "--stagehand.codeunit-threads=12", "--stagehand.log-level=warn",
     "--stagehand.data-dir=/srv/companies", "--stagehand.database-pool-size=3",
     "--stagehand.database-busy-timeout=250ms",
     "--stagehand.database-synchronous=full"}));
  BOOST_CHECK_EQUAL(cfg.limits.max_concurrency, 3u);
  BOOST_CHECK_EQUAL(cfg.limits.max_queue_length, 7u);
  BOOST_CHECK(cfg.limits.default_timeout == std::chrono::seconds(30));
  BOOST_CHECK(cfg.limits.max_timeout == std::chrono::minutes(5));
  BOOST_CHECK_EQUAL(cfg.codeunit_threads, 12u);
  BOOST_CHECK_EQUAL(cfg.log_level, "warn");
  BOOST_CHECK_EQUAL(cfg.data_dir, "/srv/companies");
  BOOST_CHECK_EQUAL(cfg.database_pool_size, 3u);
  BOOST_CHECK(cfg.database_busy_timeout == std::chrono::milliseconds(250));
  BOOST_CHECK(cfg.synchronous() == synchronous_mode::full);
}

BOOST_AUTO_TEST_CASE(the_ini_file_sets_each_key) {
  auto path = std::string{"stagehand-config-test.ini"};
  {
    std::ofstream out{path};
    out << "[stagehand]\n"
           "child-sessions-max-concurrency=9\n"
           "child-sessions-max-queue-length=0\n"
           "page-background-task-default-timeout=1min\n"
           "page-background-task-max-timeout=20min\n";
  }
  config cfg;
  auto err = parse(cfg, {"--config-file=" + path});
  std::remove(path.c_str());
  BOOST_REQUIRE(!err);
  BOOST_CHECK_EQUAL(cfg.limits.max_concurrency, 9u);
  BOOST_CHECK_EQUAL(cfg.limits.max_queue_length, 0u);
  BOOST_CHECK(cfg.limits.default_timeout == std::chrono::minutes(1));
  BOOST_CHECK(cfg.limits.max_timeout == std::chrono::minutes(20));
}

BOOST_AUTO_TEST_CASE(bad_values_name_their_key) {
  config zero;
  auto err = parse(zero, {"--stagehand.child-sessions-max-concurrency=0"});
  BOOST_REQUIRE(err);
  BOOST_CHECK_NE(zero.render(err).find("child-sessions-max-concurrency"),
                 std::string::npos);
  config level;
  err = parse(level, {"--stagehand.log-level=loud"});
  BOOST_REQUIRE(err);
  BOOST_CHECK_NE(level.render(err).find("loud"), std::string::npos);
  config no_pool;
  err = parse(no_pool, {"--stagehand.database-pool-size=0"});
  BOOST_REQUIRE(err);
  BOOST_CHECK_NE(no_pool.render(err).find("database-pool-size"),
                 std::string::npos);
  config unsynced;
  err = parse(unsynced, {"--stagehand.database-synchronous=off"});
  BOOST_REQUIRE(err);
  BOOST_CHECK_NE(unsynced.render(err).find("--stagehand.database-synchronous="
                                            "off: expected normal or full, "
                                            "got 'off'"),
                 std::string::npos);
  config garbage;
  BOOST_CHECK(parse(garbage, {"--stagehand.codeunit-threads=many"}));
}

// -- background sessions and session events ----------------------------------

BOOST_AUTO_TEST_CASE(background_session_defaults) {
  config cfg;
  BOOST_CHECK_EQUAL(cfg.sessions.max_concurrent, 10u);
  BOOST_CHECK_EQUAL(cfg.sessions.max_queued, 100u);
  BOOST_CHECK(cfg.sessions.default_timeout == std::chrono::hours(8));
  BOOST_CHECK_EQUAL(cfg.sessions.max_recursion_depth, 14u);
  BOOST_CHECK(cfg.sessions.event_retention == std::chrono::hours(24 * 90));
  BOOST_CHECK_EQUAL(cfg.sessions.purge_batch, 500u);
  BOOST_CHECK(cfg.sessions.purge_interval == std::chrono::hours(1));
  BOOST_CHECK(cfg.runtime_wait_timeout == std::chrono::hours(24));
  BOOST_CHECK(!parse(cfg, {}));
}

BOOST_AUTO_TEST_CASE(the_ini_file_sets_the_background_session_keys) {
  config cfg;
  auto err = parse_ini(cfg, "stagehand-session-config-test.ini",
                       "[stagehand]\n"
                       "background-sessions-max-concurrent=0\n"
                       "background-sessions-max-queued=7\n"
                       "background-sessions-default-timeout=90s\n"
                       "maximum-session-recursion-depth=3\n"
                       "session-event-retention=48h\n"
                       "session-event-purge-batch=20\n"
                       "session-event-purge-interval=5min\n"
                       "runtime-wait-timeout=2h\n");
  BOOST_REQUIRE_MESSAGE(!err, cfg.render(err));
  BOOST_CHECK_EQUAL(cfg.sessions.max_concurrent, 0u);
  BOOST_CHECK_EQUAL(cfg.sessions.max_queued, 7u);
  BOOST_CHECK(cfg.sessions.default_timeout == std::chrono::seconds(90));
  BOOST_CHECK_EQUAL(cfg.sessions.max_recursion_depth, 3u);
  BOOST_CHECK(cfg.sessions.event_retention == std::chrono::hours(48));
  BOOST_CHECK_EQUAL(cfg.sessions.purge_batch, 20u);
  BOOST_CHECK(cfg.sessions.purge_interval == std::chrono::minutes(5));
  BOOST_CHECK(cfg.runtime_wait_timeout == std::chrono::hours(2));
}

BOOST_AUTO_TEST_CASE(bad_background_session_values_name_their_key) {
  check_refused({"--stagehand.background-sessions-default-timeout=0s"},
                "background-sessions-default-timeout");
  check_refused({"--stagehand.maximum-session-recursion-depth=0"},
                "maximum-session-recursion-depth");
  check_refused({"--stagehand.session-event-retention=0s"},
                "session-event-retention");
  check_refused({"--stagehand.session-event-purge-batch=0"},
                "session-event-purge-batch");
  check_refused({"--stagehand.session-event-purge-interval=0s"},
                "session-event-purge-interval");
  check_refused({"--stagehand.runtime-wait-timeout=0s"},
                "runtime-wait-timeout");
  // Values that are not numbers or durations at all fail to parse.
  config garbage;
  BOOST_CHECK(
    parse(garbage, {"--stagehand.background-sessions-max-queued=lots"}));
  config no_unit;
  BOOST_CHECK(parse(no_unit, {"--stagehand.session-event-retention=soon"}));
}

BOOST_AUTO_TEST_CASE(an_ini_value_of_the_wrong_type_names_key_file_and_line) {
  ini_file ini{"[stagehand]\n; threads\ncodeunit-threads=abc\n"};
  check_says(refusal({"--config-file=" + ini.path}),
             {ini.path + ":3: stagehand.codeunit-threads=abc",
              "expected a whole number", "for example codeunit-threads=256"});
}

BOOST_AUTO_TEST_CASE(an_unquoted_ini_string_is_refused_with_the_quotes) {
  ini_file ini{"[stagehand]\nlog-level=info\n"};
  check_says(refusal({"--config-file=" + ini.path}),
             {ini.path + ":2: stagehand.log-level=info",
              "a string in double quotes", R"(for example log-level="info")"});
}

BOOST_AUTO_TEST_CASE(a_duration_without_a_unit_lists_the_units) {
  ini_file ini{"[stagehand]\npage-background-task-default-timeout=2\n"};
  check_says(refusal({"--config-file=" + ini.path}),
             {ini.path + ":2:", "a duration", "ms, s, min or h",
              "for example page-background-task-default-timeout=2min"});
  check_says(refusal({"--stagehand.database-busy-timeout=5"}),
             {"--stagehand.database-busy-timeout=5: expected a duration",
              "for example --stagehand.database-busy-timeout=5s"});
}

BOOST_AUTO_TEST_CASE(unknown_keys_are_errors_in_both_places_with_a_guess) {
  ini_file ini{"[stagehand]\nlog-level=\"info\"\n"
               "child-session-max-concurrency=3\n"};
  check_says(refusal({"--config-file=" + ini.path}),
             {ini.path
                + ":3: unknown key stagehand.child-session-max-"
                  "concurrency",
              "did you mean stagehand.child-sessions-max-concurrency?"});
  check_says(refusal({"--stagehand.codeunit-thread=4"}),
             {"--stagehand.codeunit-thread=4: unknown key",
              "did you mean stagehand.codeunit-threads?"});
  auto far = refusal({"--stagehand.zzzz=1"});
  BOOST_CHECK_MESSAGE(far.find("did you mean") == std::string::npos, far);
  check_says(far, {"'stagehand help' lists every key"});
}

BOOST_AUTO_TEST_CASE(command_line_values_name_the_argument_and_an_example) {
  check_says(refusal({"--stagehand.codeunit-threads=many"}),
             {"--stagehand.codeunit-threads=many: expected a whole number",
              "for example --stagehand.codeunit-threads=256"});
  check_says(refusal({"--stagehand.log-level"}),
             {"give a value with '='", "--stagehand.log-level=info"});
}

BOOST_AUTO_TEST_CASE(range_errors_name_where_the_value_came_from) {
  ini_file ini{"[stagehand]\n\nchild-sessions-max-concurrency=0\n"};
  check_says(refusal({"--config-file=" + ini.path}),
             {ini.path + ":3: stagehand.child-sessions-max-concurrency=0",
              "must be at least 1",
              "for example child-sessions-max-concurrency=5"});
  // The command line overrides the file, and is named instead.
  ini_file fine{"[stagehand]\ndatabase-pool-size=3\n"};
  check_says(
    refusal({"--config-file=" + fine.path, "--stagehand.database-pool-size=0"}),
    {"--stagehand.database-pool-size=0: must be at least 1",
     "for example --stagehand.database-pool-size=8"});
  check_says(refusal({"--stagehand.log-level=loud"}),
             {"--stagehand.log-level=loud", "trace, debug, info"});
}

BOOST_AUTO_TEST_CASE(a_lower_maximum_timeout_lowers_the_default) {
  config cfg;
  BOOST_REQUIRE(
    !parse(cfg, {"--stagehand.page-background-task-max-timeout=1min"}));
  BOOST_CHECK(cfg.limits.max_timeout == std::chrono::minutes(1));
  BOOST_CHECK(cfg.limits.default_timeout == std::chrono::minutes(1));
  config lower;
  BOOST_REQUIRE(
    !parse(lower, {"--stagehand.page-background-task-default-timeout=30s",
                   "--stagehand.page-background-task-max-timeout=1min"}));
  BOOST_CHECK(lower.limits.default_timeout == std::chrono::seconds(30));
}

BOOST_AUTO_TEST_CASE(caf_s_own_errors_are_put_into_words) {
  check_says(refusal({"--config-file=/nonexistent/stagehand.ini"}),
             {"cannot open the configuration file /nonexistent/stagehand.ini",
              "No such file"});
  // CAF points at where it noticed, here the end of line 2.
  ini_file ini{"[scheduler]\nmax-threads=\"four\" x\n"};
  check_says(refusal({"--config-file=" + ini.path}),
             {ini.path + ":3:1: cannot read this line (unexpected newline)"});
  check_says(refusal({"--no-such-option=1"}),
             {"--no-such-option=1: unknown option"});
}

BOOST_AUTO_TEST_CASE(the_listing_has_every_key_and_reads_back) {
  config defaults;
  auto text = defaults.settings_text(false);
  check_says(text,
             {"[stagehand]\n", "page-background-task-default-timeout=2min",
              "background-sessions-default-timeout=8h",
              "session-event-retention=2160h", R"(log-level="info")",
              "; tasks that run at once per parent session"});
  config changed;
  BOOST_REQUIRE(!parse(changed, {"--stagehand.codeunit-threads=7",
                                 "--stagehand.data-dir=/tmp/x y"}));
  auto effective = changed.settings_text(true);
  check_says(effective, {"codeunit-threads=7 ", R"(data-dir="/tmp/x y")"});
  // Every line is valid INI that sets the same values again.
  ini_file ini{effective};
  config again;
  auto err = parse(again, {"--config-file=" + ini.path});
  BOOST_REQUIRE_MESSAGE(!err, config::render(err));
  BOOST_CHECK_EQUAL(again.codeunit_threads, 7u);
  BOOST_CHECK_EQUAL(again.data_dir, "/tmp/x y");
  BOOST_CHECK_EQUAL(again.settings_text(true), effective);
}

BOOST_AUTO_TEST_SUITE_END()
