#include "server/http/prefer_header.hpp"

#include <cctype>
#include <vector>

#include <strings.h>

namespace stagehand {

namespace {

/// Splits on `sep` outside double quotes.
std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out{""};
  auto quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = text[i];
    if (c == sep && !quoted) {
      out.emplace_back();
      continue;
    }
    if (c == '"')
      quoted = !quoted;
    out.back() += c;
    // An escaped character inside quotes is kept as it is, quote or not.
    if (c == '\\' && quoted && i + 1 < text.size())
      out.back() += text[++i];
  }
  return out;
}

std::string trim(const std::string& text) {
  auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos)
    return {};
  auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

/// A quoted-string's content, escapes removed; a token stays as it is.
std::string unquote(const std::string& text) {
  if (text.size() < 2 || text.front() != '"' || text.back() != '"')
    return text;
  std::string out;
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] == '\\' && i + 2 < text.size())
      ++i;
    out += text[i];
  }
  return out;
}

bool same(const std::string& a, const char* b) {
  return strcasecmp(a.c_str(), b) == 0;
}

constexpr const char* formatted_value = "OData.Community.Display.V1.FormattedValue";

/// Whether the annotation pattern `pattern` (`*`, a name, or `prefix.*`)
/// takes in the formatted-value annotation.
bool takes_in_formatted_value(const std::string& pattern) {
  if (pattern == "*" || same(pattern, formatted_value))
    return true;
  if (pattern.size() < 2 || pattern.compare(pattern.size() - 2, 2, ".*") != 0)
    return false;
  auto prefix = pattern.substr(0, pattern.size() - 1);
  return strncasecmp(prefix.c_str(), formatted_value, prefix.size()) == 0;
}

/// Reads an `odata.include-annotations` list: later patterns do not undo an
/// exclusion, as OData lets an excluding pattern win.
bool includes_formatted_value(const std::string& list) {
  auto included = false;
  for (auto& item : split(list, ',')) {
    auto pattern = trim(item);
    if (!pattern.empty() && pattern.front() == '-') {
      if (takes_in_formatted_value(pattern.substr(1)))
        return false;
    } else if (takes_in_formatted_value(pattern)) {
      included = true;
    }
  }
  return included;
}

} // namespace

prefer_header prefer_header::parse(const std::string& value) {
  prefer_header result;
  for (auto& preference : split(value, ',')) {
    auto parts = split(preference, ';');
    auto token = trim(parts[0]);
    auto eq = token.find('=');
    if (eq != std::string::npos
        && same(trim(token.substr(0, eq)), "odata.include-annotations")) {
      result.include_annotations = trim(token.substr(eq + 1));
      result.formatted_values
        = includes_formatted_value(unquote(result.include_annotations));
    } else if (same(token, "respond-async")) {
      result.respond_async = true;
    } else if (same(token, "callback")) {
      for (std::size_t i = 1; i < parts.size(); ++i) {
        auto param = trim(parts[i]);
        auto eq = param.find('=');
        if (eq != std::string::npos && same(trim(param.substr(0, eq)), "url"))
          result.callback_url = unquote(trim(param.substr(eq + 1)));
      }
    }
  }
  return result;
}

} // namespace stagehand
