// Tests README.md and docs/: every relative link and image resolves to a file
// of this repository, every #anchor to a heading of its page, and nothing
// points outside the repository, so that a clone is self-contained.
#include <boost/test/unit_test.hpp>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/build_paths.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path root = fs::canonical(stagehand::test::source_dir);

struct page {
  /// Lines outside fenced code blocks, with inline code blanked.
  std::vector<std::string> lines;
  std::set<std::string> anchors;
};

/// GitHub's anchor of a heading: lower case, punctuation dropped, spaces to
/// hyphens; a repeated heading gets -1, -2, ...
std::string slug(const std::string& heading) {
  std::string result;
  for (unsigned char c : heading) {
    if (std::isalnum(c) || c == '-' || c == '_')
      result += static_cast<char>(std::tolower(c));
    else if (c == ' ')
      result += '-';
  }
  return result;
}

page read_page(const fs::path& file) {
  std::ifstream in{file};
  BOOST_REQUIRE_MESSAGE(in, "cannot read " << file);
  page result;
  std::map<std::string, int> seen;
  auto fenced = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("```", 0) == 0) {
      fenced = !fenced;
      continue;
    }
    if (fenced)
      continue;
    if (line.rfind('#', 0) == 0) {
      auto text = line.substr(line.find_first_not_of('#'));
      auto anchor = slug(text.substr(text.find_first_not_of(' ')));
      auto n = seen[anchor]++;
      result.anchors.insert(n == 0 ? anchor : anchor + "-" + std::to_string(n));
    }
    result.lines.push_back(std::regex_replace(line, std::regex{"`[^`]*`"}, "``"));
  }
  return result;
}

std::vector<fs::path> documents() {
  std::vector<fs::path> result{root / "README.md"};
  for (auto& entry : fs::directory_iterator{root / "docs"})
    if (entry.path().extension() == ".md")
      result.push_back(entry.path());
  return result;
}

/// Every link target on the page: `[text](target)` and `![alt](target)`.
std::vector<std::string> links(const page& p) {
  static const std::regex link{R"(\]\(([^)\s]+)(\s+"[^"]*")?\))"};
  std::vector<std::string> result;
  for (auto& line : p.lines)
    for (std::sregex_iterator i{line.begin(), line.end(), link}, end; i != end;
         ++i)
      result.push_back((*i)[1]);
  return result;
}

} // namespace

BOOST_AUTO_TEST_SUITE(docs_links)

BOOST_AUTO_TEST_CASE(the_docs_have_their_pages) {
  auto docs = documents();
  BOOST_CHECK_GE(docs.size(), 10u);
  for (auto name : {"embedding.md", "configuration.md", "page-tasks.md",
                    "background-sessions.md", "operations.md", "play.md",
                    "performance.md", "security.md"})
    BOOST_CHECK_MESSAGE(fs::exists(root / "docs" / name), "no docs/" << name);
}

BOOST_AUTO_TEST_CASE(every_relative_link_and_anchor_resolves) {
  std::map<fs::path, page> pages;
  for (auto& file : documents())
    pages.emplace(fs::canonical(file), read_page(file));
  size_t checked = 0;
  for (auto& [file, p] : pages) {
    auto name = fs::relative(file, root).string();
    for (auto& target : links(p)) {
      ++checked;
      BOOST_CHECK_MESSAGE(target.find("://") == std::string::npos
                            && target.rfind("mailto:", 0) != 0,
                          name << " links outside the repository: " << target);
      if (target.find("://") != std::string::npos)
        continue;
      auto hash = target.find('#');
      auto path_part = target.substr(0, hash);
      auto anchor = hash == std::string::npos ? "" : target.substr(hash + 1);
      auto resolved = path_part.empty()
                        ? file
                        : fs::weakly_canonical(file.parent_path() / path_part);
      auto inside = resolved.string().rfind(root.string() + "/", 0) == 0;
      BOOST_CHECK_MESSAGE(inside, name << ": " << target
                                       << " leaves the repository");
      BOOST_CHECK_MESSAGE(fs::exists(resolved),
                          name << ": " << target << " does not exist");
      if (anchor.empty() || !fs::exists(resolved))
        continue;
      auto& target_page = pages.count(resolved) > 0
                            ? pages.at(resolved)
                            : pages.emplace(resolved, read_page(resolved))
                                .first->second;
      BOOST_CHECK_MESSAGE(target_page.anchors.count(anchor) > 0,
                          name << ": " << target << " names no heading");
    }
  }
  BOOST_CHECK_GE(checked, 20u);
}

BOOST_AUTO_TEST_CASE(no_page_sends_readers_outside_the_clone) {
  for (auto& file : documents()) {
    std::ifstream in{file};
    std::stringstream text;
    text << in.rdbuf();
    for (auto outside : {"../shared", "SPEC.md", "seeds/"})
      BOOST_CHECK_MESSAGE(text.str().find(outside) == std::string::npos,
                          file.filename() << " mentions " << outside);
  }
}

BOOST_AUTO_TEST_CASE(the_readme_starts_with_the_two_commands) {
  std::ifstream in{root / "README.md"};
  std::vector<std::string> first(5);
  for (auto& line : first)
    std::getline(in, line);
  BOOST_CHECK_EQUAL(first[0], "# Stagehand");
  BOOST_CHECK_EQUAL(first[2], "```sh");
  BOOST_CHECK_EQUAL(first[3].rfind("scripts/serve ", 0), 0u);
  BOOST_CHECK_EQUAL(first[4].rfind("scripts/test ", 0), 0u);
}

BOOST_AUTO_TEST_SUITE_END()
