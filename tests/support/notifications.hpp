#pragma once

#include <string>
#include <vector>

#include "services/page_event.hpp"

namespace stagehand::test {

/// The notifications among page events, as "level: text", in order: what a
/// user of the page would have seen.
inline std::vector<std::string>
notifications(const std::vector<page_event>& evs) {
  std::vector<std::string> result;
  for (auto& ev : evs)
    if (ev.what == page_event::kind::notification)
      result.push_back(ev.level + ": " + ev.text);
  return result;
}

} // namespace stagehand::test
