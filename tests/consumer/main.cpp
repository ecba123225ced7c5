// Proves that `find_package(stagehand)` gives a usable library: it runs one
// page background task through the installed runtime.
#include <iostream>

#include "runtime/runtime.hpp"

int main() {
  stagehand::config cfg;
  cfg.log_level = "off";
  stagehand::runtime rt{cfg};
  rt.codeunits().add(1, "Hello", [](stagehand::codeunit_context& ctx) {
    ctx.set_result({{"hello", "world"}});
  });
  auto session = rt.open_session();
  if (!session) {
    std::cerr << "consumer failed: no session\n";
    return 1;
  }
  auto page = rt.open_page(*session, "CONSUMER 1");
  auto results = rt.run_page_background_task(page, 1);
  if (!results || results->at("hello") != "world") {
    std::cerr << "consumer failed\n";
    return 1;
  }
  std::cout << "consumer ok\n";
}
