#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <caf/expected.hpp>
#include <spdlog/logger.h>

#include "runtime/config.hpp"
#include "server/notifier.hpp"
#include "server/operation_completion.hpp"
#include "server/webhook.hpp"

namespace stagehand {

/// The notifier that `stagehand::config` describes: its secret (a random one
/// when none is configured), allowlist, retry schedule and threads.
caf::expected<std::unique_ptr<notifier>>
make_notifier(const config& cfg, std::shared_ptr<spdlog::logger> log);

/// Turns each completed operation into its deliveries: the callback its
/// submit asked for and one `OnBackgroundOperationComplete` event per
/// subscriber from `subscribers`. When all have ended it reports once: no
/// failure, or every final failure joined, which the operation keeps. A
/// delivery cut short by shutdown reports nothing, so that the server
/// delivers that completion again after its restart (at least once).
completion_sink
deliver_completions(notifier& out,
                    std::function<std::vector<webhook>()> subscribers);

} // namespace stagehand
