// Business hours: an IANA time zone (through cctz), weekly open ranges,
// holidays and one-off overrides. The IVR's hours node asks status(); the
// local civil fields feed time variables.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "hotline/util/result.hpp"
#include "hotline/util/time.hpp"

namespace hotline {

struct LocalTime {
  int year, month, day, hour, minute, second;
  int weekday;  // 0 = Sunday ... 6 = Saturday
  int hhmm;     // hour * 100 + minute, as TaskRouter's currentTime
};

class Calendar {
 public:
  enum class Status { kOpen, kClosed, kHoliday };

  // {"time_zone": "Europe/Berlin",
  //  "weekly": {"mon": [["09:00", "17:30"]], ..., "sun": []},
  //  "holidays": [{"date": "2026-12-25", "name": "Christmas"}],
  //  "overrides": [{"date": "2026-12-24", "ranges": [["09:00", "12:00"]]}]}
  // Errors name the JSON path (`path` prefixes it). Unknown keys, clock
  // times outside 00:00-24:00, dates that are not real days and a date
  // overridden twice are refused.
  static Result<Calendar> from_json(const nlohmann::json& j, std::string_view path = "$");
  // Always open, in UTC.
  static Calendar always_open();

  Status status(TimeMs t) const;
  LocalTime local(TimeMs t) const;

  // Business time: only open minutes count. add_business_ms() is the instant
  // at which `ms` of open time has passed since `start` (SLA due times);
  // it returns kNever if the calendar has no open time within ten years.
  TimeMs add_business_ms(TimeMs start, TimeMs ms) const;
  // Open time within [from, to); 0 when to <= from. A span longer than a
  // century counts its first century, so a far-future `to` (kNever) answers
  // at once.
  TimeMs business_ms_between(TimeMs from, TimeMs to) const;
  static constexpr TimeMs kNever = INT64_MAX;
  const std::string& time_zone() const noexcept { return zone_name_; }

 private:
  struct Range {
    int from_minute;  // minutes since local midnight
    int to_minute;    // exclusive; 1440 = midnight at the end of the day
  };
  struct Day {
    int year, month, day;
    bool operator==(const Day& o) const noexcept {
      return year == o.year && month == o.month && day == o.day;
    }
  };
  struct Override {
    Day day;
    std::vector<Range> ranges;  // empty: closed all day
  };

  // The open intervals of one local day, as absolute instants (DST-aware).
  struct Interval {
    TimeMs from, to;
  };
  void open_intervals(const Day& day, std::vector<Interval>& out) const;
  const std::vector<Range>& ranges_of(const Day& day, int weekday) const;

  bool always_open_ = false;  // 24×7 in UTC: business time is plain time
  std::string zone_name_ = "UTC";
  std::array<std::vector<Range>, 7> weekly_;  // by weekday, Sunday first
  std::vector<Day> holidays_;
  std::vector<Override> overrides_;
  struct Zone;
  std::shared_ptr<const Zone> zone_;
};

}  // namespace hotline
