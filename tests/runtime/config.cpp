// Tests runtime/config.hpp: SPEC.md §1 defaults, and that the INI file and
// the command line both set them.
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "runtime/config.hpp"

using namespace stagehand;

namespace {

caf::error parse(config& cfg, std::vector<std::string> args) {
  std::vector<char*> argv{const_cast<char*>("stagehand")};
  for (auto& arg : args)
    argv.push_back(arg.data());
  if (auto err = cfg.parse(static_cast<int>(argv.size()), argv.data()))
    return err;
  return cfg.validate();
}

} // namespace

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
    cfg, {"--stagehand.child-sessions-max-concurrency=3",
          "--stagehand.child-sessions-max-queue-length=7",
          "--stagehand.page-background-task-default-timeout=30s",
          "--stagehand.page-background-task-max-timeout=5min",
          "--stagehand.codeunit-threads=12", "--stagehand.log-level=warn",
          "--stagehand.data-dir=/srv/companies",
          "--stagehand.database-pool-size=3",
          "--stagehand.database-busy-timeout=250ms"}));
  BOOST_CHECK_EQUAL(cfg.limits.max_concurrency, 3u);
  BOOST_CHECK_EQUAL(cfg.limits.max_queue_length, 7u);
  BOOST_CHECK(cfg.limits.default_timeout == std::chrono::seconds(30));
  BOOST_CHECK(cfg.limits.max_timeout == std::chrono::minutes(5));
  BOOST_CHECK_EQUAL(cfg.codeunit_threads, 12u);
  BOOST_CHECK_EQUAL(cfg.log_level, "warn");
  BOOST_CHECK_EQUAL(cfg.data_dir, "/srv/companies");
  BOOST_CHECK_EQUAL(cfg.database_pool_size, 3u);
  BOOST_CHECK(cfg.database_busy_timeout == std::chrono::milliseconds(250));
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
  config inverted;
  err = parse(inverted, {"--stagehand.page-background-task-max-timeout=1min"});
  BOOST_REQUIRE(err);
  BOOST_CHECK_NE(inverted.render(err).find("page-background-task-max-timeout"),
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
  config garbage;
  BOOST_CHECK(parse(garbage, {"--stagehand.codeunit-threads=many"}));
}

BOOST_AUTO_TEST_SUITE_END()
