#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "tests/support/child_process.hpp"
#include "tests/support/build_paths.hpp"

namespace stagehand::test {

/// `build/stagehand serve` as a child process of the test: started with
/// options, ready once it printed `listening on <url>`.
class serve_process : public child_process {
public:
  explicit serve_process(const std::vector<std::string>& options)
    : child_process(arguments(options)) {
    static const std::string prefix = "listening on ";
    auto line = read_line();
    BOOST_REQUIRE_EQUAL(line.rfind(prefix, 0), 0u);
    url_ = line.substr(prefix.size());
    port_ = static_cast<std::uint16_t>(
      std::stoi(url_.substr(url_.rfind(':') + 1)));
  }

  std::uint16_t port() const {
    return port_;
  }

  const std::string& url() const {
    return url_;
  }

private:
  static std::vector<std::string>
  arguments(const std::vector<std::string>& options) {
    std::vector<std::string> args{cli_path};
    args.insert(args.end(), options.begin(), options.end());
    args.emplace_back("serve");
    return args;
  }

  std::string url_;
  std::uint16_t port_ = 0;
};

} // namespace stagehand::test
