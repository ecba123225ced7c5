#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace stagehand::test {

/// Running the real `stagehand` binary as a user would, for the tests of
/// apps/: what it printed, and the JSON Lines of a `play`.

/// What one run of the CLI left behind.
struct run_result {
  int exit_code = -1;
  /// The JSON lines of standard output, for a `play`.
  std::vector<nlohmann::json> events;
  std::string out;
  std::string err;
};

/// Runs `stagehand ARGS` with `input` on stdin, in a data directory of its
/// own unless ARGS names one, so that no run sees another's companies or
/// leaves a `./data` behind. Fails the test if the run does not end in time.
run_result run_cli(const std::string& args, const std::string& input = "");

/// `play`s the scenario `tests/scenarios/<name>`.
run_result play_file(const std::string& name, const std::string& options = "");

/// The events called `event`, in order.
std::vector<nlohmann::json> of(const run_result& r, const std::string& event);

/// Index of the first event matching `event` (and task label, if given).
size_t index_of(const run_result& r, const std::string& event,
                const std::string& task = "");

/// Scenario lines, each ended by a newline.
std::string lines(std::initializer_list<const char*> xs);

/// A scenario's start: session `s` with page `p` on CUSTOMER 10000.
inline const char* open_page_lines = R"({"do":"open_session","session":"s"}
{"do":"open_page","session":"s","page":"p","record":"CUSTOMER 10000"}
)";

} // namespace stagehand::test
