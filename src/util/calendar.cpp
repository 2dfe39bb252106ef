#include "hotline/util/calendar.hpp"

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>
#include <algorithm>
#include <chrono>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>

namespace hotline {

struct Calendar::Zone {
  cctz::time_zone tz;
};

namespace {

constexpr const char* kDayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

Error bad(std::string_view path, std::string_view what) {
  return make_error(Errc::kInvalidArgument, fmt::format("{}: {}", path, what));
}

// The first key of `obj` not among `keys`, refused in the format every
// Hotline parser shares; the accepted keys are listed in the order given.
template <std::size_t N>
Status only_keys(const nlohmann::json& obj, std::string_view path, const char* const (&keys)[N]) {
  for (const auto& [key, value] : obj.items()) {
    bool known = false;
    for (const char* k : keys) known = known || key == k;
    if (known) continue;
    std::string expected;
    for (const char* k : keys) {
      if (!expected.empty()) expected += ", ";
      expected += k;
    }
    return bad(fmt::format("{}.{}", path, key),
               fmt::format("unknown field (expected one of: {})", expected));
  }
  return {};
}

bool digits_only(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "HH:MM" → minutes since midnight; "24:00" allowed as an end.
bool parse_clock(const nlohmann::json& v, int& out) {
  if (!v.is_string()) return false;
  const std::string& s = v.get_ref<const std::string&>();
  if (s.size() != 5 || s[2] != ':') return false;
  for (int i : {0, 1, 3, 4}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return false;
  out = h * 60 + m;
  return true;
}

bool parse_date(const nlohmann::json& v, int& y, int& mo, int& d) {
  if (!v.is_string()) return false;
  const std::string& s = v.get_ref<const std::string&>();
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  const std::string_view text = s;
  // Digits only: no signs or spaces that a number parser would let through.
  if (!digits_only(text.substr(0, 4)) || !digits_only(text.substr(5, 2)) ||
      !digits_only(text.substr(8, 2))) {
    return false;
  }
  y = std::stoi(s.substr(0, 4));
  mo = std::stoi(s.substr(5, 2));
  d = std::stoi(s.substr(8, 2));
  const cctz::civil_day day(y, mo, d);
  return day.year() == y && day.month() == mo && day.day() == d;  // no 2026-02-30
}

}  // namespace

Calendar Calendar::always_open() {
  Calendar c;
  for (auto& day : c.weekly_) day.push_back(Range{0, 1440});
  c.always_open_ = true;
  auto zone = std::make_shared<Zone>();
  zone->tz = cctz::utc_time_zone();
  c.zone_ = zone;
  return c;
}

Result<Calendar> Calendar::from_json(const nlohmann::json& j, std::string_view path) {
  if (!j.is_object()) return bad(path, "expected a calendar object");
  static const char* const kKeys[] = {"time_zone", "weekly", "holidays", "overrides"};
  if (auto st = only_keys(j, path, kKeys); !st) return std::move(st).error();
  Calendar c;
  auto zone = std::make_shared<Zone>();
  if (auto it = j.find("time_zone"); it != j.end()) {
    if (!it->is_string()) return bad(fmt::format("{}.time_zone", path), "expected a zone name");
    c.zone_name_ = it->get<std::string>();
  }
  if (!cctz::load_time_zone(c.zone_name_, &zone->tz)) {
    return bad(fmt::format("{}.time_zone", path), "unknown time zone '" + c.zone_name_ + "'");
  }
  c.zone_ = zone;
  auto ranges = [&](const nlohmann::json& list, const std::string& p,
                    std::vector<Range>& out) -> hotline::Status {
    if (!list.is_array()) return bad(p, "expected a list of [\"HH:MM\", \"HH:MM\"] ranges");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string rp = fmt::format("{}[{}]", p, i);
      const auto& r = list[i];
      Range range{};
      if (!r.is_array() || r.size() != 2 || !parse_clock(r[0], range.from_minute) ||
          !parse_clock(r[1], range.to_minute)) {
        return bad(rp, "expected [\"HH:MM\", \"HH:MM\"]");
      }
      if (range.from_minute >= range.to_minute) return bad(rp, "a range must end after it starts");
      for (const Range& other : out) {
        if (range.from_minute < other.to_minute && other.from_minute < range.to_minute) {
          return bad(rp, "overlaps another range of the same day");
        }
      }
      out.push_back(range);
    }
    return {};
  };
  if (auto it = j.find("weekly"); it != j.end()) {
    const std::string wp = fmt::format("{}.weekly", path);
    if (!it->is_object()) return bad(wp, "expected an object of weekdays");
    if (auto st = only_keys(*it, wp, kDayNames); !st) return std::move(st).error();
    for (const auto& [name, list] : it->items()) {
      int day = -1;
      for (int d = 0; d < 7; ++d) {
        if (name == kDayNames[d]) day = d;
      }
      if (auto st = ranges(list, fmt::format("{}.{}", wp, name), c.weekly_[day]); !st) {
        return std::move(st).error();
      }
    }
  }
  if (auto it = j.find("holidays"); it != j.end()) {
    if (!it->is_array()) return bad(fmt::format("{}.holidays", path), "expected a list");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const std::string hp = fmt::format("{}.holidays[{}]", path, i);
      const auto& h = (*it)[i];
      Day d{};
      if (h.is_object()) {
        static const char* const kHolidayKeys[] = {"date", "name"};
        if (auto st = only_keys(h, hp, kHolidayKeys); !st) return std::move(st).error();
        if (h.contains("name") && !h["name"].is_string()) {
          return bad(hp + ".name", "expected a string");
        }
      }
      const auto& date = h.is_object() ? h.value("date", nlohmann::json()) : h;
      if (!parse_date(date, d.year, d.month, d.day)) {
        return bad(h.is_object() ? hp + ".date" : hp, "expected a date YYYY-MM-DD");
      }
      c.holidays_.push_back(d);
    }
  }
  if (auto it = j.find("overrides"); it != j.end()) {
    if (!it->is_array()) return bad(fmt::format("{}.overrides", path), "expected a list");
    std::map<int, std::size_t> overridden;  // date as YYYYMMDD → its index
    for (std::size_t i = 0; i < it->size(); ++i) {
      const std::string op = fmt::format("{}.overrides[{}]", path, i);
      const auto& o = (*it)[i];
      Override ov{};
      if (!o.is_object()) {
        return bad(op, "expected {\"date\": \"YYYY-MM-DD\", \"ranges\": [...]}");
      }
      static const char* const kOverrideKeys[] = {"date", "ranges"};
      if (auto st = only_keys(o, op, kOverrideKeys); !st) return std::move(st).error();
      if (!parse_date(o.value("date", nlohmann::json()), ov.day.year, ov.day.month,
                      ov.day.day)) {
        return bad(op + ".date", "expected a date YYYY-MM-DD");
      }
      const int key = (ov.day.year * 100 + ov.day.month) * 100 + ov.day.day;
      if (auto [at, fresh] = overridden.emplace(key, i); !fresh) {
        return bad(op + ".date", fmt::format("{} is already overridden at {}.overrides[{}]",
                                             o["date"].get<std::string>(), path, at->second));
      }
      if (o.contains("ranges")) {
        if (auto st = ranges(o["ranges"], op + ".ranges", ov.ranges); !st) {
          return std::move(st).error();
        }
      }
      c.overrides_.push_back(std::move(ov));
    }
  }
  return c;
}

LocalTime Calendar::local(TimeMs t) const {
  // Whole seconds, floored, straight from the milliseconds: the system
  // clock's nanoseconds overflow after the year 2262.
  const std::int64_t seconds = t / 1000 - (t % 1000 < 0 ? 1 : 0);
  const cctz::civil_second cs =
      cctz::convert(cctz::time_point<cctz::seconds>(cctz::seconds(seconds)), zone_->tz);
  const int weekday = static_cast<int>(cctz::get_weekday(cctz::civil_day(cs)));
  // cctz counts Monday = 0; Hotline (like TaskRouter and cron) counts Sunday = 0.
  LocalTime lt{static_cast<int>(cs.year()), cs.month(), cs.day(), cs.hour(), cs.minute(),
               cs.second(), (weekday + 1) % 7, cs.hour() * 100 + cs.minute()};
  return lt;
}

Calendar::Status Calendar::status(TimeMs t) const {
  const LocalTime lt = local(t);
  const Day today{lt.year, lt.month, lt.day};
  const int minute = lt.hour * 60 + lt.minute;
  // An override is the most specific rule for its day: it wins over a holiday.
  const bool overridden = std::any_of(overrides_.begin(), overrides_.end(),
                                      [&](const Override& o) { return o.day == today; });
  if (!overridden) {
    for (const Day& h : holidays_) {
      if (h == today) return Status::kHoliday;
    }
  }
  for (const Range& r : ranges_of(today, lt.weekday)) {
    if (minute >= r.from_minute && minute < r.to_minute) return Status::kOpen;
  }
  return Status::kClosed;
}

const std::vector<Calendar::Range>& Calendar::ranges_of(const Day& day, int weekday) const {
  static const std::vector<Range> kClosedAllDay;
  for (const Override& o : overrides_) {
    if (o.day == day) return o.ranges;
  }
  for (const Day& h : holidays_) {
    if (h == day) return kClosedAllDay;
  }
  return weekly_[static_cast<std::size_t>(weekday)];
}

void Calendar::open_intervals(const Day& day, std::vector<Interval>& out) const {
  out.clear();
  const cctz::civil_day cd(day.year, day.month, day.day);
  const int weekday = (static_cast<int>(cctz::get_weekday(cd)) + 1) % 7;
  auto instant = [&](int minute) {
    // Through cctz so that a day with a DST change has its true length.
    const auto tp = cctz::convert(cctz::civil_second(cd) + minute * 60, zone_->tz);
    return static_cast<TimeMs>(
        std::chrono::duration_cast<std::chrono::milliseconds>(tp.time_since_epoch()).count());
  };
  for (const Range& r : ranges_of(day, weekday)) {
    out.push_back(Interval{instant(r.from_minute), instant(r.to_minute)});
  }
  std::sort(out.begin(), out.end(),
            [](const Interval& a, const Interval& b) { return a.from < b.from; });
}

namespace {
constexpr int kSearchDays = 3660;  // ten years without an open minute: give up
// Business time between two instants is summed day by day; a span past a
// century (a "never" deadline, a far-future clock) counts its first century.
constexpr int kMaxSpanDays = 36'525;
}

TimeMs Calendar::add_business_ms(TimeMs start, TimeMs ms) const {
  if (ms <= 0) return start;
  if (always_open_) return start > kNever - ms ? kNever : start + ms;
  const LocalTime lt = local(start);
  cctz::civil_day day(lt.year, lt.month, lt.day);
  std::vector<Interval> intervals;
  TimeMs remaining = ms;
  for (int i = 0; i < kSearchDays; ++i, ++day) {
    open_intervals(Day{static_cast<int>(day.year()), day.month(), day.day()}, intervals);
    for (const Interval& iv : intervals) {
      const TimeMs from = std::max(iv.from, start);
      if (from >= iv.to) continue;
      if (iv.to - from >= remaining) return from + remaining;
      remaining -= iv.to - from;
    }
  }
  return kNever;
}

TimeMs Calendar::business_ms_between(TimeMs from, TimeMs to) const {
  if (to <= from) return 0;
  if (always_open_) {
    TimeMs span = 0;
    return __builtin_sub_overflow(to, from, &span) ? kNever : span;
  }
  const LocalTime lt = local(from);
  cctz::civil_day day(lt.year, lt.month, lt.day);
  std::vector<Interval> intervals;
  TimeMs total = 0;
  for (int days = 0; days < kMaxSpanDays; ++days, ++day) {
    open_intervals(Day{static_cast<int>(day.year()), day.month(), day.day()}, intervals);
    // Local midnight can fall after `to` only once we have passed it.
    const auto midnight = cctz::convert(cctz::civil_second(day), zone_->tz);
    const TimeMs day_start = static_cast<TimeMs>(
        std::chrono::duration_cast<std::chrono::milliseconds>(midnight.time_since_epoch())
            .count());
    if (day_start >= to) break;
    for (const Interval& iv : intervals) {
      const TimeMs a = std::max(iv.from, from);
      const TimeMs b = std::min(iv.to, to);
      if (b > a) total += b - a;
    }
  }
  return total;
}

}  // namespace hotline
