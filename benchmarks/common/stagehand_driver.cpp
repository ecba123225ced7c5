#include "benchmarks/common/stagehand_driver.hpp"

#include <stdexcept>

#include "samples/sample_codeunits.hpp"

namespace stagehand::bench {

std::unique_ptr<runtime> make_runtime(config& cfg, page_observer observer) {
  cfg.log_level = "off";
  auto rt = std::make_unique<runtime>(cfg, std::move(observer));
  stagehand::samples::register_sample_codeunits(rt->codeunits());
  return rt;
}

session_handle open_session(runtime& rt) {
  auto session = rt.open_session();
  if (!session)
    throw std::runtime_error("open_session: " + describe(session.error()));
  return std::move(*session);
}

} // namespace stagehand::bench
