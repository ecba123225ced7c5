#pragma once

namespace stagehand {

/// Whom and where a session runs when nobody started it: a session started
/// by another session runs as its caller, in its caller's company, and these
/// apply only where there is no caller.
inline constexpr const char* default_user = "ADMIN";
inline constexpr const char* default_company = "CRONUS";

} // namespace stagehand
