#include "core/option_checker.hpp"

#include <algorithm>
#include <cstdio>

#include <caf/pec.hpp>
#include <caf/sec.hpp>
#include <caf/settings.hpp>
#include <caf/timespan.hpp>

namespace stagehand {

namespace {

std::string trim(const std::string& x) {
  auto first = x.find_first_not_of(" \t\r");
  if (first == std::string::npos)
    return {};
  auto last = x.find_last_not_of(" \t\r");
  return x.substr(first, last - first + 1);
}

/// Cuts a `;` comment off a line, unless the `;` is inside a string.
std::string without_comment(const std::string& line) {
  auto quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"' && (i == 0 || line[i - 1] != '\\'))
      quoted = !quoted;
    else if (line[i] == ';' && !quoted)
      return line.substr(0, i);
  }
  return line;
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    auto diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      auto above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string duration_text(caf::timespan x) {
  using namespace std::chrono;
  struct unit {
    nanoseconds::rep ns;
    const char* name;
  };
  static constexpr unit units[] = {{3600'000'000'000, "h"},
                                   {60'000'000'000, "min"},
                                   {1'000'000'000, "s"},
                                   {1'000'000, "ms"},
                                   {1'000, "us"}};
  auto ns = x.count();
  for (auto& u : units)
    if (ns != 0 && ns % u.ns == 0)
      return std::to_string(ns / u.ns) + u.name;
  return std::to_string(ns) + "ns";
}

} // namespace

std::string ini_text(const caf::config_value& x) {
  if (caf::holds_alternative<caf::timespan>(x))
    return duration_text(caf::get<caf::timespan>(x));
  if (caf::holds_alternative<double>(x)) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%g", caf::get<double>(x));
    std::string result = buf;
    if (result.find_first_of(".e") == std::string::npos)
      result += ".0"; // CAF reads "2" as an integer, not a real
    return result;
  }
  return caf::to_string(x);
}

option_checker::option_checker(const caf::config_option_set& options,
                               std::string category,
                               const std::map<std::string, std::string>& defaults)
  : options_(options), category_(std::move(category)), defaults_(defaults) {}

// -- checks -------------------------------------------------------------------

caf::error option_checker::check_ini(std::istream& in, const std::string& file,
                                     option_origins& origins) const {
  std::string group;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    auto where = file + ":" + std::to_string(number);
    auto text = trim(without_comment(line));
    if (text.empty())
      continue;
    if (text.front() == '[') {
      if (text.back() != ']')
        return make(where + ": a group header is a name in brackets, for "
                            "example ["
                    + category_ + "]");
      group = trim(text.substr(1, text.size() - 2));
      continue;
    }
    if (group != category_)
      continue; // CAF's own groups: CAF checks them
    auto eq = text.find('=');
    if (eq == std::string::npos)
      return make(where + ": expected KEY=VALUE in [" + category_ + "], got '"
                  + text + "'");
    auto key = trim(text.substr(0, eq));
    auto value = trim(text.substr(eq + 1));
    // A list may continue over the following lines up to its ']'.
    for (auto first = number; !value.empty() && value.front() == '['
                              && value.find(']') == std::string::npos;) {
      if (!std::getline(in, line))
        return make(file + ":" + std::to_string(first) + ": " + category_ + "."
                    + key + ": the list has no closing ']'");
      ++number;
      value += ' ' + trim(without_comment(line));
    }
    if (auto err = check_ini_value(where, key, value))
      return err;
    origins[key] = where;
  }
  return caf::none;
}

caf::error option_checker::check_cli(const std::vector<std::string>& args,
                                     option_origins& origins) const {
  auto prefix = "--" + category_ + ".";
  for (auto& arg : args) {
    if (arg == "--" || arg.empty() || arg.front() != '-')
      break; // the command and its arguments follow
    if (arg.compare(0, prefix.size(), prefix) != 0)
      continue;
    auto eq = arg.find('=');
    auto key = arg.substr(prefix.size(), eq == std::string::npos
                                           ? std::string::npos
                                           : eq - prefix.size());
    auto* opt = find(key);
    if (opt == nullptr)
      return unknown(arg, key);
    if (eq == std::string::npos)
      return make(arg + ": give a value with '=', for example " + prefix + key
                  + "=" + example(*opt, false));
    if (!opt->parse(arg.substr(eq + 1)))
      return make(arg + ": expected " + expected(*opt, false) + ", for example "
                  + prefix + key + "=" + example(*opt, false));
    origins[key] = arg;
  }
  return caf::none;
}

caf::error option_checker::check_ini_value(const std::string& where,
                                           const std::string& key,
                                           const std::string& value) const {
  auto* opt = find(key);
  if (opt == nullptr)
    return unknown(where, key);
  auto refuse = [&] {
    return make(where + ": " + category_ + "." + key + "=" + value
                + ": expected " + expected(*opt, true) + ", for example " + key
                + "=" + example(*opt, true));
  };
  auto type = opt->type_name();
  if (type == "string"
      && (value.size() < 2 || value.front() != '"' || value.back() != '"'))
    return refuse(); // CAF's INI parser reads only quoted strings
  auto parsed = caf::config_value::parse(value);
  if (!parsed || opt->check(*parsed))
    return refuse();
  return caf::none;
}

caf::error option_checker::unknown(const std::string& where,
                                   const std::string& key) const {
  auto text = where + ": unknown key " + category_ + "." + key;
  if (auto near = closest(key); !near.empty())
    text += "; did you mean " + category_ + "." + near + "?";
  return make(text + " ('stagehand help' lists every key)");
}

const caf::config_option* option_checker::find(const std::string& key) const {
  return options_.qualified_name_lookup(category_ + "." + key);
}

// -- texts --------------------------------------------------------------------

std::string option_checker::expected(const caf::config_option& opt, bool ini) {
  auto type = opt.type_name();
  if (type == "timespan")
    return "a duration, a whole number and a unit (ns, us, ms, s, min or h)";
  if (type == "uint64")
    return "a whole number, 0 or more";
  if (type == "uint16")
    return "a whole number from 0 to 65535";
  if (type == "real64")
    return "a number with a decimal point";
  if (type == "boolean")
    return "true or false";
  if (type == "string")
    return ini ? "a string in double quotes" : "a string";
  if (type == "list of string")
    return "a list of strings in double quotes, in brackets";
  return "a value of type " + std::string{type.begin(), type.end()};
}

std::string option_checker::example(const caf::config_option& opt,
                                    bool ini) const {
  std::string name{opt.long_name().begin(), opt.long_name().end()};
  auto text = defaults_.count(name) > 0 ? defaults_.at(name) : std::string{};
  auto type = opt.type_name();
  if (type == "string") {
    if (text.size() <= 2)
      text = "\"text\"";
    return ini ? text : text.substr(1, text.size() - 2);
  }
  if (type == "list of string" && text == "[]")
    return R"(["a", "b"])";
  return text;
}

std::string option_checker::closest(const std::string& key) const {
  std::string best;
  auto best_distance = std::max<size_t>(3, key.size() / 4) + 1;
  for (auto& opt : options_) {
    if (opt.category() != category_)
      continue;
    std::string name{opt.long_name().begin(), opt.long_name().end()};
    if (auto d = edit_distance(key, name); d < best_distance) {
      best = name;
      best_distance = d;
    }
  }
  return best;
}

caf::error option_checker::make(std::string text) {
  return caf::make_error(caf::sec::invalid_argument, std::move(text));
}

caf::error option_checker::translate(const caf::error& err,
                                     const std::string& file) {
  auto words = [](std::string x) {
    std::replace(x.begin(), x.end(), '_', ' ');
    return x;
  };
  if (err.category() == caf::atom("parser")) {
    auto code = static_cast<caf::pec>(err.code());
    auto what = words(caf::to_string(code));
    if (err.context().match_elements<caf::settings>()) {
      auto& ctx = err.context().get_as<caf::settings>(0);
      if (auto arg = caf::get_if<std::string>(&ctx, "argument"))
        return make(*arg + ": "
                    + (code == caf::pec::not_an_option ? "unknown option"
                                                       : "cannot read it ("
                                                           + what + ")")
                    + "; 'stagehand help' lists the options");
      auto line = caf::get_if<int64_t>(&ctx, "line");
      auto column = caf::get_if<int64_t>(&ctx, "column");
      if (line && column)
        return make(file + ":" + std::to_string(*line) + ":"
                    + std::to_string(*column) + ": cannot read this line ("
                    + what + ")");
    }
    return make(file + ": cannot read the configuration (" + what + ")");
  }
  if (err.category() == caf::atom("system"))
    return make(file + ": " + words(caf::to_string(static_cast<caf::sec>(err.code()))));
  return err;
}

} // namespace stagehand
