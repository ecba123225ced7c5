// Reads every `#include "..."` of the library, the server, the samples and the
// tool, and fails on one that reaches a folder above its own file's folder:
// the layer order of docs/architecture.md, checked where the linker cannot
// see it (headers, and folders that share a link line).
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/build_paths.hpp"

namespace fs = std::filesystem;

namespace {

/// Each folder's rank, lowest first. A file may include its own folder and
/// any folder of a lower rank; folders of one rank (the server's security
/// and odata, its deliveries, scheduler and admin) stand side by side and may not
/// include each other.
const std::map<std::string, int> ranks = {
  {"messages", 0},
  {"core", 1},
  {"data", 2},
  {"services", 3},
  {"actors", 4},
  {"cluster", 5},
  {"runtime", 6},
  {"server/http", 7},
  {"server/security", 8},
  {"server/odata", 8},
  {"server/operations", 9},
  {"server/deliveries", 10},
  {"server/scheduler", 10},
  {"server/admin", 10},
  {"server/api", 11},
  {"server", 12},
  {"samples", 13},
  {"apps", 14},
};

/// Why `folder` may not include `header`, or an empty string if it may.
std::string refusal(const std::string& folder, const std::string& header) {
  auto target = fs::path{header}.parent_path().generic_string();
  auto to = ranks.find(target);
  if (to == ranks.end())
    return "includes " + header + ", which is in no layer folder";
  if (target == folder)
    return {};
  auto from = ranks.at(folder);
  if (to->second < from)
    return {};
  return folder + "/ includes " + header + " from " + target
         + "/, which is not below it";
}

/// Every refused include under the layer folders, one "file:line: why" each.
std::vector<std::string> violations(const fs::path& root) {
  static const std::regex include{R"(^\s*#\s*include\s+"([^"]+)\")"};
  std::vector<std::string> found;
  for (auto& [folder, rank] : ranks) {
    for (auto& entry : fs::directory_iterator{root / folder}) {
      auto ext = entry.path().extension();
      if (!entry.is_regular_file() || (ext != ".hpp" && ext != ".cpp"))
        continue;
      std::ifstream in{entry.path()};
      std::string line;
      for (int n = 1; std::getline(in, line); ++n) {
        std::smatch m;
        if (!std::regex_search(line, m, include))
          continue;
        if (auto why = refusal(folder, m[1].str()); !why.empty())
          found.push_back(folder + "/" + entry.path().filename().string() + ":"
                          + std::to_string(n) + ": " + why);
      }
    }
  }
  return found;
}

} // namespace

BOOST_AUTO_TEST_SUITE(layers_includes)

BOOST_AUTO_TEST_CASE(no_file_includes_a_folder_above_its_own) {
  auto found = violations(stagehand::test::source_dir);
  std::ostringstream text;
  for (auto& line : found)
    text << "\n  " << line;
  BOOST_CHECK_MESSAGE(
    found.empty(), found.size() << " includes go up the layers:" << text.str());
}

BOOST_AUTO_TEST_CASE(the_rules_refuse_up_and_sideways_and_allow_down) {
  BOOST_CHECK(refusal("core", "messages/ids.hpp").empty());
  BOOST_CHECK(refusal("actors", "actors/page.hpp").empty());
  BOOST_CHECK(refusal("server/api", "data/database.hpp").empty());
  BOOST_CHECK_EQUAL(refusal("core", "actors/page.hpp"),
                    "core/ includes actors/page.hpp from actors/, which is "
                    "not below it");
  BOOST_CHECK(
    !refusal("server/scheduler", "server/deliveries/notifier.hpp").empty());
  BOOST_CHECK(!refusal("runtime", "server/serve_config.hpp").empty());
  BOOST_CHECK(refusal("runtime", "cluster/coordinator.hpp").empty());
  BOOST_CHECK(!refusal("cluster", "runtime/config.hpp").empty());
  BOOST_CHECK(!refusal("data", "nowhere/x.hpp").empty());
}

BOOST_AUTO_TEST_SUITE_END()
