#include "server/odata/date_time_literal.hpp"

namespace stagehand {

namespace {

/// Reads exactly `n` digits at `pos`, advancing it.
bool digits(std::string_view text, std::size_t& pos, std::size_t n, int& out) {
  if (pos + n > text.size())
    return false;
  out = 0;
  for (std::size_t i = 0; i < n; ++i) {
    auto c = text[pos + i];
    if (c < '0' || c > '9')
      return false;
    out = out * 10 + (c - '0');
  }
  pos += n;
  return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c)
    return false;
  ++pos;
  return true;
}

bool leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : days[month - 1];
}

/// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

} // namespace

std::optional<std::int64_t> parse_date_time_offset(std::string_view text) {
  std::size_t pos = 0;
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!digits(text, pos, 4, year) || !expect(text, pos, '-')
      || !digits(text, pos, 2, month) || !expect(text, pos, '-')
      || !digits(text, pos, 2, day) || !expect(text, pos, 'T')
      || !digits(text, pos, 2, hour) || !expect(text, pos, ':')
      || !digits(text, pos, 2, minute))
    return std::nullopt;
  std::int64_t ms = 0;
  if (expect(text, pos, ':')) {
    if (!digits(text, pos, 2, second))
      return std::nullopt;
    if (expect(text, pos, '.')) {
      // One to twelve digits, as OData allows; the first three count.
      std::size_t count = 0;
      int scale = 100;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (++count > 12)
          return std::nullopt;
        ms += (text[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (count == 0)
        return std::nullopt;
    }
  }
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)
      || hour > 23 || minute > 59 || second > 59)
    return std::nullopt;
  int offset = 0;
  if (!expect(text, pos, 'Z')) {
    if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-'))
      return std::nullopt;
    int sign = text[pos++] == '-' ? -1 : 1;
    int oh = 0;
    int om = 0;
    if (!digits(text, pos, 2, oh) || !expect(text, pos, ':')
        || !digits(text, pos, 2, om) || oh > 23 || om > 59)
      return std::nullopt;
    offset = sign * (oh * 60 + om);
  }
  if (pos != text.size())
    return std::nullopt;
  auto minutes = days_from_civil(year, month, day) * 1440 + hour * 60 + minute
                 - offset;
  return (minutes * 60 + second) * 1000 + ms;
}

} // namespace stagehand
