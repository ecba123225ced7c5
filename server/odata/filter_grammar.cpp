#include "server/odata/filter_grammar.hpp"

#include <caf/sec.hpp>

#include "server/odata/date_time_literal.hpp"

// The grammar, in the order of the functions below; `and` binds tighter than
// `or`, and both take any number of operands:
//
//   filter     = disjunction END
//   disjunction = conjunction { "or" conjunction }
//   conjunction = unary { "and" unary }
//   unary      = "not" unary | primary
//   primary    = "(" disjunction ")"
//              | "contains" "(" column "," string ")"
//              | column comparison literal
//   comparison = "eq" | "ne" | "gt" | "ge" | "lt" | "le"
//   literal    = integer | datetimeoffset | string | "null"
//
// Tokens: a word is a letter or `_` followed by letters, digits and `_`; a
// number is a digit (or `-` and a digit) followed by letters, digits and
// `:.+-`, read as an integer or a DateTimeOffset by the column it meets; a
// string is quoted with `'`, and `''` inside it is one quote. Keywords are
// lower case, as in OData.

namespace stagehand {

namespace {

struct token {
  enum class kind { word, number, string, open, close, comma, end };
  kind what = kind::end;
  /// The word or number as written; a string's value, unquoted.
  std::string text;
  /// Its offset in the filter, for messages.
  std::size_t at = 0;
};

caf::error bad(const std::string& why) {
  return caf::make_error(caf::sec::invalid_argument, why);
}

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

caf::expected<std::vector<token>> tokenize(std::string_view text) {
  std::vector<token> out;
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = text[i];
    auto start = i;
    if (c == ' ') {
      ++i;
    } else if (c == '(' || c == ')' || c == ',') {
      out.push_back({c == '(' ? token::kind::open
                     : c == ')' ? token::kind::close
                                : token::kind::comma,
                     std::string{c}, start});
      ++i;
    } else if (c == '\'') {
      std::string value;
      for (++i;; ++i) {
        if (i >= text.size())
          return bad("the string starting at position " + std::to_string(start)
                     + " has no closing quote.");
        if (text[i] == '\'') {
          if (i + 1 < text.size() && text[i + 1] == '\'') {
            value += '\'';
            ++i;
            continue;
          }
          ++i;
          break;
        }
        value += text[i];
      }
      out.push_back({token::kind::string, std::move(value), start});
    } else if (is_letter(c)) {
      while (i < text.size() && (is_letter(text[i]) || is_digit(text[i])))
        ++i;
      out.push_back(
        {token::kind::word, std::string{text.substr(start, i - start)}, start});
    } else if (is_digit(c)
               || (c == '-' && i + 1 < text.size() && is_digit(text[i + 1]))) {
      for (++i; i < text.size(); ++i) {
        auto d = text[i];
        if (!is_letter(d) && !is_digit(d) && d != ':' && d != '.' && d != '+'
            && d != '-')
          break;
      }
      out.push_back({token::kind::number,
                     std::string{text.substr(start, i - start)}, start});
    } else {
      return bad("unexpected character '" + std::string{c} + "' at position "
                 + std::to_string(start) + ".");
    }
  }
  out.push_back({token::kind::end, "", text.size()});
  return out;
}

bool comparison(const std::string& word, filter_node::op& out) {
  using op = filter_node::op;
  static const std::pair<const char*, op> ops[] = {
    {"eq", op::eq}, {"ne", op::ne}, {"gt", op::gt},
    {"ge", op::ge}, {"lt", op::lt}, {"le", op::le},
  };
  for (auto& [name, value] : ops)
    if (word == name) {
      out = value;
      return true;
    }
  return false;
}

/// OData operators outside the subset, refused by name.
bool other_operator(const std::string& word) {
  for (auto* name : {"has", "in", "add", "sub", "mul", "div", "divby", "mod"})
    if (word == name)
      return true;
  return false;
}

/// Reads an integer from -2^63 to 2^63-1, refusing one that would overflow.
bool integer(const std::string& text, std::int64_t& out) {
  auto negative = text[0] == '-';
  std::uint64_t limit = negative ? 9223372036854775808ULL
                                 : 9223372036854775807ULL;
  std::uint64_t value = 0;
  for (std::size_t i = negative ? 1 : 0; i < text.size(); ++i) {
    if (!is_digit(text[i]))
      return false;
    auto digit = static_cast<std::uint64_t>(text[i] - '0');
    if (value > (limit - digit) / 10)
      return false;
    value = value * 10 + digit;
  }
  out = negative ? static_cast<std::int64_t>(0 - value)
                 : static_cast<std::int64_t>(value);
  return true;
}

class parser {
public:
  parser(std::vector<token> tokens, const std::vector<entity_column>& columns)
    : tokens_(std::move(tokens)), columns_(columns) {}

  caf::expected<filter_node> filter() {
    auto result = disjunction();
    if (result && peek().what != token::kind::end)
      return unexpected("'and', 'or' or the end");
    return result;
  }

private:
  const token& peek() const {
    return tokens_[pos_];
  }

  bool take_word(const char* word) {
    if (peek().what != token::kind::word || peek().text != word)
      return false;
    ++pos_;
    return true;
  }

  bool take(token::kind what) {
    if (peek().what != what)
      return false;
    ++pos_;
    return true;
  }

  caf::error unexpected(const std::string& wanted) const {
    auto& t = peek();
    auto found = t.what == token::kind::end      ? std::string{"the end"}
                 : t.what == token::kind::string ? "a string"
                                                  : "'" + t.text + "'";
    if (t.what == token::kind::word && other_operator(t.text))
      return bad("the operator '" + t.text
                 + "' is not supported; use eq, ne, gt, ge, lt, le, and, or "
                   "and not.");
    return bad("expected " + wanted + " at position " + std::to_string(t.at)
               + ", found " + found + ".");
  }

  /// `any` or `all` of `items`, or the one item alone.
  static filter_node combine(filter_node::kind what,
                             std::vector<filter_node> items) {
    if (items.size() == 1)
      return std::move(items.front());
    filter_node node;
    node.what = what;
    node.operands = std::move(items);
    return node;
  }

  caf::expected<filter_node> disjunction() {
    std::vector<filter_node> items;
    do {
      auto item = conjunction();
      if (!item)
        return item;
      items.push_back(std::move(*item));
    } while (take_word("or"));
    return combine(filter_node::kind::any, std::move(items));
  }

  caf::expected<filter_node> conjunction() {
    std::vector<filter_node> items;
    do {
      auto item = unary();
      if (!item)
        return item;
      items.push_back(std::move(*item));
    } while (take_word("and"));
    return combine(filter_node::kind::all, std::move(items));
  }

  caf::expected<filter_node> unary() {
    if (!take_word("not"))
      return primary();
    if (++depth_ > max_filter_depth)
      return too_deep();
    auto operand = unary();
    --depth_;
    if (!operand)
      return operand;
    filter_node node;
    node.what = filter_node::kind::negation;
    node.operands.push_back(std::move(*operand));
    return node;
  }

  caf::error too_deep() const {
    return bad("it nests parentheses and 'not' deeper than "
               + std::to_string(max_filter_depth) + " levels.");
  }

  caf::expected<filter_node> primary() {
    if (take(token::kind::open)) {
      if (++depth_ > max_filter_depth)
        return too_deep();
      auto inner = disjunction();
      --depth_;
      if (inner && !take(token::kind::close))
        return unexpected("')'");
      return inner;
    }
    auto& t = peek();
    if (t.what != token::kind::word)
      return unexpected("a column, 'not', 'contains' or '('");
    if (tokens_[pos_ + 1].what == token::kind::open)
      return call();
    if (t.text == "true" || t.text == "false")
      return bad("the literal '" + t.text
                 + "' is not supported; compare a column with a literal.");
    return compare();
  }

  caf::expected<const entity_column*> column() {
    auto& t = peek();
    if (t.what != token::kind::word)
      return unexpected("a column");
    for (auto& c : columns_)
      if (c.name == t.text) {
        ++pos_;
        return &c;
      }
    std::string names;
    for (auto& c : columns_)
      names += (names.empty() ? "" : ", ") + c.name;
    return bad("there is no column '" + t.text + "'; use one of " + names
               + ".");
  }

  caf::expected<filter_node> call() {
    auto name = peek().text;
    if (name != "contains")
      return bad("the function '" + name
                 + "' is not supported; the one function is "
                   "contains(column,'text').");
    pos_ += 2; // the name and its '('
    auto col = column();
    if (!col)
      return col.error();
    auto kind = (*col)->kind;
    if (kind != entity_column::type::text
        && kind != entity_column::type::parameters)
      return bad("contains takes a text or parameters column, not '"
                 + (*col)->name + "'.");
    if (!take(token::kind::comma))
      return unexpected("','");
    if (peek().what != token::kind::string)
      return unexpected("a string in quotes");
    filter_node node;
    node.what = filter_node::kind::contains;
    node.column = *col;
    node.value = tokens_[pos_++].text;
    if (!take(token::kind::close))
      return unexpected("')'");
    return node;
  }

  caf::expected<filter_node> compare() {
    auto col = column();
    if (!col)
      return col.error();
    auto& c = **col;
    if (c.kind == entity_column::type::parameters)
      return bad("'" + c.name + "' can only be searched, with contains("
                 + c.name + ",'text').");
    filter_node node;
    node.column = &c;
    if (peek().what != token::kind::word || !comparison(peek().text, node.comparison))
      return unexpected("a comparison (eq, ne, gt, ge, lt or le)");
    ++pos_;
    auto& lit = peek();
    if (lit.what == token::kind::word && lit.text == "null") {
      using op = filter_node::op;
      if (!c.nullable)
        return bad("'" + c.name + "' is never null.");
      if (node.comparison != op::eq && node.comparison != op::ne)
        return bad("null can only be compared with eq or ne.");
      ++pos_;
      return node;
    }
    auto value = literal(c);
    if (!value)
      return value.error();
    node.value = std::move(*value);
    ++pos_;
    return node;
  }

  /// The literal at the current token, as `c` takes it.
  caf::expected<db_value> literal(const entity_column& c) const {
    auto& t = peek();
    switch (c.kind) {
    case entity_column::type::integer: {
      std::int64_t n = 0;
      if (t.what != token::kind::number || !integer(t.text, n))
        return malformed(c, "an integer such as 30");
      return db_value{n};
    }
    case entity_column::type::time: {
      auto ms = t.what == token::kind::number ? parse_date_time_offset(t.text)
                                              : std::nullopt;
      if (!ms)
        return malformed(c, "a DateTimeOffset such as 2026-12-05T10:00:00Z, "
                            "without quotes");
      return db_value{*ms};
    }
    case entity_column::type::text:
      if (t.what != token::kind::string)
        return malformed(c, "a string in single quotes");
      return db_value{t.text};
    case entity_column::type::parameters:
      break;
    }
    return malformed(c, "nothing: it can only be searched");
  }

  caf::error malformed(const entity_column& c, const std::string& wanted) const {
    auto& t = peek();
    auto found = t.what == token::kind::end      ? std::string{"the end"}
                 : t.what == token::kind::string ? "'" + t.text + "'"
                                                  : t.text;
    return bad("the literal " + found + " at position " + std::to_string(t.at)
               + " is malformed for '" + c.name + "', which takes " + wanted
               + ".");
  }

  std::vector<token> tokens_;
  const std::vector<entity_column>& columns_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
};

} // namespace

caf::expected<filter_node>
parse_filter(std::string_view text, const std::vector<entity_column>& columns) {
  if (text.size() > max_filter_length)
    return bad("it is longer than " + std::to_string(max_filter_length)
               + " characters.");
  auto tokens = tokenize(text);
  if (!tokens)
    return tokens.error();
  return parser{std::move(*tokens), columns}.filter();
}

} // namespace stagehand
