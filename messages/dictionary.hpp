#pragma once

#include <map>
#include <string>

namespace stagehand {

/// Parameters and results travel as text pairs, as `Dictionary of [Text, Text]`
/// does in the source platform; an ordered map keeps output stable.
using dictionary = std::map<std::string, std::string>;

} // namespace stagehand
