#pragma once

namespace stagehand {

/// The input that tells an operation's codeunit which attempt it runs: "0"
/// for the first, "1" for the first retry, ... The server adds it to every
/// attempt from the stored retry count, so it survives restarts; user input
/// cannot set it, since an operation's declared parameters never start with
/// two underscores.
inline constexpr const char* attempt_parameter = "__attempt";

} // namespace stagehand
