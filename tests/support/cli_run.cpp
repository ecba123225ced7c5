#include "tests/support/cli_run.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/build_paths.hpp"
#include "tests/support/temp_data_dir.hpp"

namespace stagehand::test {

using nlohmann::json;

namespace {

/// How long one run of the CLI may take before the test fails.
constexpr int cli_limit_s = 120;

} // namespace

run_result run_cli(const std::string& args, const std::string& input) {
  temp_data_dir data;
  auto data_option = args.find("--stagehand.data-dir=") == std::string::npos
                       ? " --stagehand.data-dir=" + data.path.string()
                       : std::string{};
  auto dir = std::string{"/tmp"};
  auto in_path = dir + "/stagehand-test-in-" + std::to_string(::getpid());
  auto err_path = dir + "/stagehand-test-err-" + std::to_string(::getpid());
  std::ofstream{in_path} << input;
  // `timeout` bounds a run that hangs; it then exits with 124.
  auto cmd = "timeout -k 5 " + std::to_string(cli_limit_s) + " "
             + std::string{cli_path} + " --stagehand.log-level=off"
             + data_option + " " + args + " < " + in_path + " 2> " + err_path;
  run_result result;
  auto* pipe = ::popen(cmd.c_str(), "r");
  BOOST_REQUIRE(pipe != nullptr);
  std::array<char, 4096> buf;
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0)
    result.out.append(buf.data(), n);
  auto status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  BOOST_REQUIRE_MESSAGE(result.exit_code != 124,
                        "stagehand " << args << " did not end within "
                                     << cli_limit_s << " s");
  std::stringstream err;
  err << std::ifstream{err_path}.rdbuf();
  result.err = err.str();
  std::remove(in_path.c_str());
  std::remove(err_path.c_str());
  if (args.find("play") != std::string::npos) {
    std::istringstream lines{result.out};
    for (std::string line; std::getline(lines, line);)
      if (!line.empty() && line.front() == '{')
        result.events.push_back(json::parse(line));
  }
  return result;
}

run_result play_file(const std::string& name, const std::string& options) {
  return run_cli(options + " play " + std::string{source_dir} + "/tests/scenarios/"
                 + name);
}

std::vector<json> of(const run_result& r, const std::string& event) {
  std::vector<json> result;
  for (auto& ev : r.events)
    if (ev.at("event") == event)
      result.push_back(ev);
  return result;
}

size_t index_of(const run_result& r, const std::string& event,
                const std::string& task) {
  for (size_t i = 0; i < r.events.size(); ++i)
    if (r.events[i].at("event") == event
        && (task.empty() || r.events[i].value("task", "") == task))
      return i;
  return r.events.size();
}

std::string lines(std::initializer_list<const char*> xs) {
  std::string result;
  for (auto x : xs)
    result += std::string{x} + "\n";
  return result;
}

} // namespace stagehand::test
