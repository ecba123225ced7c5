#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <caf/expected.hpp>
#include <spdlog/logger.h>

#include "server/deliveries/delivery_settings.hpp"
#include "server/security/security_settings.hpp"
#include "server/deliveries/notifier.hpp"
#include "server/operations/operation_completion.hpp"
#include "server/operations/webhook.hpp"

namespace stagehand {

/// The notifier that `stagehand::config` describes: its secret (a random one
/// when none is configured), allowlist, retry schedule, threads and the CA
/// file of https receivers.
caf::expected<std::unique_ptr<notifier>>
make_notifier(const delivery_settings& deliveries,
              const security_settings& security,
              std::shared_ptr<spdlog::logger> log);

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
