#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "hotline/util/calendar.hpp"

using namespace hotline;
using nlohmann::json;

namespace {
// Epoch milliseconds of a UTC civil time.
TimeMs utc(int y, int mo, int d, int h, int mi) {
  // Days from civil (Howard Hinnant's algorithm).
  y -= mo <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const long days = era * 146097L + static_cast<long>(doe) - 719468;
  return ((days * 24 + h) * 60 + mi) * 60'000LL;
}
}  // namespace

TEST_CASE("weekly hours in a time zone, across daylight saving") {
  auto c = Calendar::from_json(json::parse(R"({
    "time_zone": "Europe/Berlin",
    "weekly": {"mon": [["09:00", "12:00"], ["13:00", "17:00"]], "sat": [["10:00", "24:00"]]},
    "holidays": [{"date": "2026-12-25", "name": "Christmas"}],
    "overrides": [{"date": "2026-12-21", "ranges": [["08:00", "09:30"]]}, {"date": "2026-12-25"}]
  })"));
  REQUIRE(c.ok());
  // Monday 2026-11-23: Berlin is UTC+1.
  CHECK(c->status(utc(2026, 11, 23, 8, 30)) == Calendar::Status::kOpen);    // 09:30 local
  CHECK(c->status(utc(2026, 11, 23, 11, 30)) == Calendar::Status::kClosed);  // 12:30 lunch
  CHECK(c->status(utc(2026, 11, 23, 16, 0)) == Calendar::Status::kClosed);   // 17:00 closes
  // Monday 2026-07-06: summer time, UTC+2.
  CHECK(c->status(utc(2026, 7, 6, 7, 30)) == Calendar::Status::kOpen);    // 09:30 local
  CHECK(c->status(utc(2026, 7, 6, 6, 30)) == Calendar::Status::kClosed);  // 08:30 local
  // A range ending at 24:00 covers the last minute of the day.
  CHECK(c->status(utc(2026, 11, 28, 22, 59)) == Calendar::Status::kOpen);  // Sat 23:59
  // Holidays and overrides; an override wins over a holiday on the same day.
  CHECK(c->status(utc(2026, 12, 21, 7, 15)) == Calendar::Status::kOpen);    // 08:15 override
  CHECK(c->status(utc(2026, 12, 21, 10, 0)) == Calendar::Status::kClosed);  // 11:00
  CHECK(c->status(utc(2026, 12, 25, 10, 0)) == Calendar::Status::kClosed);  // closed override
  auto local = c->local(utc(2026, 7, 6, 7, 30));
  CHECK(local.hour == 9);
  CHECK(local.minute == 30);
  CHECK(local.weekday == 1);
  CHECK(local.hhmm == 930);
}

TEST_CASE("holidays close a day the week would open") {
  auto c = Calendar::from_json(json::parse(R"({
    "time_zone": "America/New_York",
    "weekly": {"thu": [["00:00", "24:00"]]},
    "holidays": ["2026-11-26"]
  })"));
  REQUIRE(c.ok());
  CHECK(c->status(utc(2026, 11, 26, 17, 0)) == Calendar::Status::kHoliday);
  CHECK(c->status(utc(2026, 11, 19, 17, 0)) == Calendar::Status::kOpen);
  // 01:00 UTC Friday is still Thursday evening in New York.
  CHECK(c->status(utc(2026, 11, 20, 1, 0)) == Calendar::Status::kOpen);
  CHECK(c->local(utc(2026, 11, 20, 1, 0)).weekday == 4);
}

TEST_CASE("bad calendars are reported with their JSON path") {
  auto error_of = [](const char* text) {
    auto c = Calendar::from_json(json::parse(text), "$.calendars.main");
    REQUIRE(!c.ok());
    return c.error().message;
  };
  CHECK(error_of(R"({"time_zone": "Mars/Olympus"})") ==
        "$.calendars.main.time_zone: unknown time zone 'Mars/Olympus'");
  CHECK(error_of(R"({"weekly": {"mon": [["09:00", "25:00"]]}})") ==
        "$.calendars.main.weekly.mon[0]: expected [\"HH:MM\", \"HH:MM\"]");
  CHECK(error_of(R"({"weekly": {"mon": [["12:00", "09:00"]]}})") ==
        "$.calendars.main.weekly.mon[0]: a range must end after it starts");
  CHECK(error_of(R"({"weekly": {"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}})") ==
        "$.calendars.main.weekly.mon[1]: overlaps another range of the same day");
  CHECK(error_of(R"({"weekly": {"funday": []}})") ==
        "$.calendars.main.weekly.funday: unknown field (expected one of: sun, mon, tue, wed, thu, "
        "fri, sat)");
  CHECK(error_of(R"({"holidays": ["2026-02-30"]})") ==
        "$.calendars.main.holidays[0]: expected a date YYYY-MM-DD");
}

TEST_CASE("unknown calendar keys are refused with their path and the accepted keys") {
  auto error_of = [](const char* text) {
    auto c = Calendar::from_json(json::parse(text), "$.calendars.main");
    REQUIRE(!c.ok());
    return c.error().message;
  };
  CHECK(error_of(R"({"timezone": "Europe/Berlin"})") ==
        "$.calendars.main.timezone: unknown field (expected one of: time_zone, weekly, holidays, "
        "overrides)");
  CHECK(error_of(R"({"holidays": [{"date": "2026-12-25", "nmae": "Christmas"}]})") ==
        "$.calendars.main.holidays[0].nmae: unknown field (expected one of: date, name)");
  CHECK(error_of(R"({"overrides": [{"date": "2026-12-24", "range": [["09:00", "12:00"]]}]})") ==
        "$.calendars.main.overrides[0].range: unknown field (expected one of: date, ranges)");
}

TEST_CASE("bad dates, clock times and duplicate overrides are refused, not read loosely") {
  auto error_of = [](const char* text) {
    auto c = Calendar::from_json(json::parse(text), "$");
    REQUIRE(!c.ok());
    return c.error().message;
  };
  for (const char* time : {"25:00", "24:01", "09:60", "9:00", "09-00", "0a:00", "-1:00"}) {
    const std::string text = std::string(R"({"weekly": {"mon": [[")") + time + R"(", "23:00"]]}})";
    INFO(time);
    CHECK(error_of(text.c_str()) == "$.weekly.mon[0]: expected [\"HH:MM\", \"HH:MM\"]");
  }
  CHECK(error_of(R"({"weekly": {"mon": [["24:00", "24:00"]]}})") ==
        "$.weekly.mon[0]: a range must end after it starts");
  for (const char* date : {"2026-+1-01", "2026- 1-01", "+026-01-01", "2026-13-01", "2026-00-10",
                           "2026-01-32", "2025-02-29", "20260101xx", "2026/01/01"}) {
    const std::string text = std::string(R"({"holidays": [")") + date + R"("]})";
    INFO(date);
    CHECK(error_of(text.c_str()) == "$.holidays[0]: expected a date YYYY-MM-DD");
  }
  CHECK(error_of(R"({"holidays": [{"name": "Christmas"}]})") ==
        "$.holidays[0].date: expected a date YYYY-MM-DD");
  CHECK(error_of(R"({"holidays": [{"date": "2026-12-25", "name": 25}]})") ==
        "$.holidays[0].name: expected a string");
  CHECK(error_of(R"({"overrides": [{"date": "2026-12-24"}, {"date": "2026-12-31"},
                                   {"date": "2026-12-24", "ranges": [["09:00", "12:00"]]}]})") ==
        "$.overrides[2].date: 2026-12-24 is already overridden at $.overrides[0]");
  CHECK(error_of(R"({"overrides": [{"date": "2026-02-29"}]})") ==
        "$.overrides[0].date: expected a date YYYY-MM-DD");
  // Leap days and the year's edges are dates.
  CHECK(Calendar::from_json(json::parse(
                                R"({"holidays": ["2028-02-29", "2026-01-01", "2026-12-31"]})"))
            .ok());
}

TEST_CASE("always open") {
  Calendar c = Calendar::always_open();
  CHECK(c.status(0) == Calendar::Status::kOpen);
  CHECK(c.status(utc(2030, 1, 1, 23, 59)) == Calendar::Status::kOpen);
}

TEST_CASE("local time far from 1970, both ways") {
  const Calendar c = Calendar::always_open();
  // Past the year 2262 a clock in nanoseconds overflows; local() does not go
  // through one.
  const LocalTime far = c.local(utc(9999, 12, 31, 0, 0));
  CHECK(far.year == 9999);
  CHECK(far.month == 12);
  CHECK(far.day == 31);
  CHECK(c.local(utc(2300, 3, 1, 12, 5)).hhmm == 1205);
  // Before 1970 a part second belongs to the second before it.
  const LocalTime before = c.local(-1);
  CHECK(before.year == 1969);
  CHECK(before.second == 59);
  CHECK(c.local(0).year == 1970);
}

TEST_CASE("business time counts open minutes only, skipping nights, weekends and holidays") {
  auto c = Calendar::from_json(json::parse(R"({
    "time_zone": "Europe/Berlin",
    "weekly": {"mon": [["09:00", "17:00"]], "tue": [["09:00", "17:00"]],
               "wed": [["09:00", "17:00"]], "thu": [["09:00", "17:00"]],
               "fri": [["09:00", "12:00"], ["13:00", "17:00"]]},
    "holidays": ["2026-12-25"]
  })"));
  REQUIRE(c.ok());
  constexpr TimeMs kHour = 3'600'000;
  // Thursday 2026-12-24 16:00 local (15:00 UTC) + 4 business hours: 1 h on
  // Thursday, Friday the 25th is a holiday, the weekend is closed, so 3 h on
  // Monday the 28th: 12:00 local.
  const TimeMs start = utc(2026, 12, 24, 15, 0);
  CHECK(c->add_business_ms(start, 4 * kHour) == utc(2026, 12, 28, 11, 0));
  CHECK(c->business_ms_between(start, utc(2026, 12, 28, 11, 0)) == 4 * kHour);
  // Starting in closed time waits for the next opening.
  CHECK(c->add_business_ms(utc(2026, 11, 21, 12, 0), kHour) == utc(2026, 11, 23, 9, 0));  // Sat
  // Friday's lunch break does not count.
  CHECK(c->add_business_ms(utc(2026, 11, 27, 10, 30), kHour) == utc(2026, 11, 27, 12, 30));
  CHECK(c->business_ms_between(utc(2026, 11, 27, 8, 0), utc(2026, 11, 27, 16, 0)) == 7 * kHour);
  // Across the end of summer time (Sunday 2026-10-25): Friday 16:00 local is
  // 14:00 UTC, Monday 10:00 local is 09:00 UTC.
  CHECK(c->add_business_ms(utc(2026, 10, 23, 14, 0), 2 * kHour) == utc(2026, 10, 26, 9, 0));
  CHECK(c->add_business_ms(start, 0) == start);
  CHECK(c->business_ms_between(start, start - 1) == 0);
}

TEST_CASE("a calendar that never opens gives no due time") {
  auto c = Calendar::from_json(json::parse(R"({"time_zone": "UTC", "weekly": {}})"));
  REQUIRE(c.ok());
  CHECK(c->add_business_ms(utc(2026, 1, 1, 0, 0), 1000) == Calendar::kNever);
  CHECK(Calendar::always_open().add_business_ms(utc(2026, 1, 1, 0, 0), 1000) ==
        utc(2026, 1, 1, 0, 0) + 1000);
}

TEST_CASE("business time up to the far future answers at once, without overflow") {
  auto c = Calendar::from_json(json::parse(R"({"time_zone": "Europe/Berlin",
                                              "weekly": {"mon": [["09:00", "17:00"]]}})"));
  REQUIRE(c.ok());
  const TimeMs start = utc(2026, 11, 23, 8, 0);  // Monday 09:00 local
  // Capped at a century of Mondays: 8 hours each, about 5,218 weeks.
  const TimeMs capped = c->business_ms_between(start, Calendar::kNever);
  CHECK(capped > 5200LL * 8 * 3'600'000);
  CHECK(capped < 5240LL * 8 * 3'600'000);
  const Calendar open = Calendar::always_open();
  CHECK(open.add_business_ms(Calendar::kNever - 10, 1000) == Calendar::kNever);
  CHECK(open.business_ms_between(INT64_MIN, Calendar::kNever) == Calendar::kNever);
  CHECK(open.business_ms_between(-5, 5) == 10);
}
