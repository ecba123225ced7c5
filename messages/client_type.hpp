#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stagehand {

/// What kind of client a session serves. It decides, for example, that a
/// web-service session runs page background tasks synchronously, and that
/// only a web-client session has a UI for dialogs.
enum class client_type : std::uint8_t {
  web_client,
  web_service,
  /// Started by `StartSession`: no UI, read-write.
  background,
  /// Runs one page background task: no UI, read-only.
  child_session,
};

/// The name of the client type as the active-session list shows it.
std::string to_string(client_type x);

/// Parses the scenario names "web" and "web_service"; the other types are
/// only ever started by the runtime.
std::optional<client_type> parse_client_type(std::string_view str);

} // namespace stagehand
