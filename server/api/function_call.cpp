#include "server/api/function_call.hpp"

#include <cctype>

#include <caf/sec.hpp>

#include "server/http/query_string.hpp"

namespace stagehand {

namespace {

caf::error bad(std::string why) {
  return caf::make_error(caf::sec::invalid_argument, std::move(why));
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

/// Reads the parameter list between the parentheses, one `Name=value` at a
/// time, left to right, with `pos` at the next unread character.
class parameter_reader {
public:
  parameter_reader(const std::string& text, const query_parameters& query)
    : text_(text), query_(query) {}

  caf::expected<nlohmann::json> read() {
    auto out = nlohmann::json::object();
    if (text_.empty())
      return out;
    for (;;) {
      auto name = word();
      if (name.empty())
        return bad(where("a parameter name"));
      if (out.contains(name))
        return bad("The parameter '" + name + "' is given twice.");
      if (!take('='))
        return bad(where("'=' after '" + name + "'"));
      auto value = literal();
      if (!value)
        return value.error();
      out[name] = std::move(*value);
      if (pos_ == text_.size())
        return out;
      if (!take(','))
        return bad(where("',' or ')'"));
    }
  }

private:
  std::string where(const std::string& wanted) const {
    return "The function call's parameters need " + wanted + " at offset "
           + std::to_string(pos_) + " of '" + text_ + "'.";
  }

  bool take(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  std::string word() {
    auto start = pos_;
    while (pos_ < text_.size() && is_name_char(text_[pos_]))
      ++pos_;
    return text_.substr(start, pos_ - start);
  }

  caf::expected<nlohmann::json> literal() {
    if (take('\''))
      return quoted();
    if (take('@'))
      return alias();
    auto start = pos_;
    take('-');
    while (pos_ < text_.size() && is_name_char(text_[pos_]))
      ++pos_;
    return from_text(text_.substr(start, pos_ - start));
  }

  caf::expected<nlohmann::json> quoted() {
    std::string value;
    for (;;) {
      if (pos_ == text_.size())
        return bad(where("a closing quote"));
      auto c = text_[pos_++];
      if (c == '\'' && !take('\''))
        return nlohmann::json(std::move(value));
      value += c;
    }
  }

  caf::expected<nlohmann::json> alias() {
    auto name = "@" + word();
    for (auto& [key, value] : query_)
      if (key == name) {
        // An alias's value is itself a literal; a nested alias is not one.
        if (!value.empty() && value.front() == '@')
          return bad("The alias '" + name + "' names another alias.");
        parameter_reader inner{value, query_};
        auto read = inner.literal();
        if (read && inner.pos_ != value.size())
          return bad("The alias '" + name + "' is not one literal.");
        return read;
      }
    return bad("The alias '" + name + "' has no value in the query string.");
  }

  caf::expected<nlohmann::json> from_text(const std::string& text) {
    if (text == "true" || text == "false")
      return nlohmann::json(text == "true");
    if (text == "null")
      return nlohmann::json(nullptr);
    auto digits = text.substr(!text.empty() && text.front() == '-' ? 1 : 0);
    if (digits.empty() || digits.size() > 18
        || digits.find_first_not_of("0123456789") != std::string::npos)
      return bad(where("a value: 'text', a whole number, true, false, null "
                       "or @alias"));
    return nlohmann::json(std::stoll(text));
  }

  const std::string& text_;
  const query_parameters& query_;
  std::size_t pos_ = 0;
};

} // namespace

caf::expected<function_call> function_call::parse(const std::string& segment,
                                                   const std::string& query) {
  function_call out;
  auto open = segment.find('(');
  out.name = segment.substr(0, open);
  if (open == std::string::npos)
    return out;
  if (segment.back() != ')')
    return bad("The function call '" + segment + "' does not end with ')'.");
  std::string inside;
  if (!percent_decode(segment.substr(open + 1, segment.size() - open - 2),
                      inside, false))
    return bad("The function call '" + segment
               + "' is not validly percent-encoded.");
  auto params = parse_query(query);
  if (!params)
    return std::move(params.error());
  parameter_reader reader{inside, *params};
  auto inputs = reader.read();
  if (!inputs)
    return std::move(inputs.error());
  out.inputs = std::move(*inputs);
  return out;
}

} // namespace stagehand
