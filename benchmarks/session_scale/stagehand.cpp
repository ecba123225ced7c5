// Session scale in Stagehand: open sessions, each with one page, and measure
// the memory they hold and how fast they open.
#include "benchmarks/common/scenarios.hpp"
#include "benchmarks/common/stagehand_driver.hpp"

namespace stagehand::bench {

namespace {

/// Counts pages that have run their first trigger, i.e. are fully open.
class counted_page : public page_triggers {
public:
  explicit counted_page(latch& opened) : opened_(opened) {}

  void on_open_page(page_context&) override {
    opened_.count_down();
  }

private:
  latch& opened_;
};

} // namespace

scale_result session_scale_stagehand(std::size_t sessions) {
  config cfg;
  auto rt = make_runtime(cfg);
  latch opened{static_cast<std::int64_t>(sessions)};
  std::vector<page_handle> pages;
  pages.reserve(sessions);
  return measure_opening(sessions, [&] {
    for (std::size_t i = 0; i < sessions; ++i)
      pages.push_back(rt->open_page(open_session(*rt), "CUSTOMER",
                                    std::make_shared<counted_page>(opened)));
    opened.wait();
  });
}

} // namespace stagehand::bench
