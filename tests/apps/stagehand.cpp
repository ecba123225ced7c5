// Tests apps/: runs the real `stagehand` binary, as a user would, and checks
// its commands besides play: demo, help, config, and how it refuses bad
// options and configuration.
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include "server/serve_config.hpp"
#include "tests/support/cli_run.hpp"

using stagehand::test::run_cli;

BOOST_AUTO_TEST_SUITE(apps_stagehand)

// The article's error trigger tests the code before the text, so a timeout
// takes its first branch and never reaches "It took too long".
BOOST_AUTO_TEST_CASE(demo_shows_the_seed_scenario) {
  auto r = run_cli("demo");
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  BOOST_CHECK_NE(r.out.find("Start and finish times have been updated."),
                 std::string::npos);
  BOOST_CHECK_NE(r.out.find("Something went wrong. The start and finish "
                            "times haven't been updated."),
                 std::string::npos);
  BOOST_CHECK_EQUAL(r.out.find("It took too long"), std::string::npos);
  BOOST_CHECK_NE(r.out.find("waited=1000"), std::string::npos);
  BOOST_CHECK_NE(r.out.find("ChildSessionTaskTimeout"), std::string::npos);
}

BOOST_AUTO_TEST_CASE(help_lists_the_commands_and_every_key) {
  stagehand::serve_config cfg; // the tool's: the runtime's keys and serve's
  auto listing = cfg.settings_text(false);
  for (auto args : {"help", "--help", "-h"}) {
    auto r = run_cli(args);
    BOOST_CHECK_EQUAL(r.exit_code, 0);
    for (auto cmd : {"demo", "play FILE|-", "serve", "worker HOST:PORT", "config",
                     "help [COMMAND]"})
      BOOST_CHECK_MESSAGE(r.out.find(std::string{"\n  "} + cmd)
                            != std::string::npos,
                          args << " lacks " << cmd);
    std::istringstream keys{listing};
    std::string line;
    std::getline(keys, line); // [stagehand]
    int count = 0;
    for (; std::getline(keys, line); ++count)
      BOOST_CHECK_MESSAGE(r.out.find(line) != std::string::npos,
                          args << " lacks '" << line << "'");
    BOOST_CHECK_GT(count, 30);
  }
  auto r = run_cli("help");
  BOOST_CHECK_NE(r.out.find("child-sessions-max-concurrency=5 "),
                 std::string::npos);
  BOOST_CHECK_NE(r.out.find("; tasks that run at once per parent session"),
                 std::string::npos);
}

BOOST_AUTO_TEST_CASE(play_without_a_file_prints_its_usage) {
  auto help = run_cli("help play");
  BOOST_CHECK_EQUAL(help.exit_code, 0);
  for (auto part : {"usage: stagehand [OPTION ...] play FILE|-", "start_session",
                    "wait_idle_timeout", "stop_result", "exit code"})
    BOOST_CHECK_MESSAGE(help.out.find(part) != std::string::npos,
                        "help play lacks " << part);
  auto bare = run_cli("play");
  BOOST_CHECK_EQUAL(bare.exit_code, 2);
  BOOST_CHECK_EQUAL(bare.err, help.out);
  auto other = run_cli("help dance");
  BOOST_CHECK_EQUAL(other.exit_code, 2);
  BOOST_CHECK_NE(other.err.find("no command 'dance'"), std::string::npos);
}

BOOST_AUTO_TEST_CASE(config_prints_the_effective_configuration) {
  for (auto command : {"config", "--dump-config help"}) {
    auto r = run_cli(std::string{"--stagehand.codeunit-threads=9 "} + command);
    BOOST_CHECK_EQUAL(r.exit_code, 0);
    BOOST_CHECK_MESSAGE(r.out.find("\ncodeunit-threads=9 ") != std::string::npos,
                        r.out);
    BOOST_CHECK_NE(r.out.find("\npage-background-task-default-timeout=2min "),
                   std::string::npos);
    BOOST_CHECK_NE(r.out.find("\nlog-level=\"off\" "), std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(configuration_errors_reach_the_user_in_words) {
  auto r = run_cli("--stagehand.child-session-max-concurrency=3 demo");
  BOOST_CHECK_EQUAL(r.exit_code, 2);
  BOOST_CHECK_NE(r.err.find("stagehand: --stagehand.child-session-max-"
                            "concurrency=3: unknown key"),
                 std::string::npos);
  BOOST_CHECK_NE(r.err.find("did you mean "
                            "stagehand.child-sessions-max-concurrency?"),
                 std::string::npos);
  auto file = "/tmp/stagehand-cli-test-" + std::to_string(::getpid()) + ".ini";
  std::ofstream{file} << "[stagehand]\ndata-dir=./x\n";
  auto ini = run_cli("--config-file=" + file + " demo");
  std::remove(file.c_str());
  BOOST_CHECK_EQUAL(ini.exit_code, 2);
  BOOST_CHECK_NE(ini.err.find(file + ":2: stagehand.data-dir=./x: expected a "
                                     "string in double quotes"),
                 std::string::npos);
  for (auto& err : {r.err, ini.err})
    BOOST_CHECK_MESSAGE(err.find("_error(") == std::string::npos, err);
}

BOOST_AUTO_TEST_CASE(bad_options_are_refused) {
  auto r = run_cli("--stagehand.child-sessions-max-concurrency=0 demo");
  BOOST_CHECK_EQUAL(r.exit_code, 2);
  BOOST_CHECK_NE(r.err.find("child-sessions-max-concurrency"),
                 std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
