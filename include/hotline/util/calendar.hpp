// Business hours: an IANA time zone (through cctz), weekly open ranges,
// holidays and one-off overrides. The IVR's hours node asks status(); the
// local civil fields feed time variables.
#pragma once

#include <array>
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
  // Errors name the JSON path (`path` prefixes it).
  static Result<Calendar> from_json(const nlohmann::json& j, std::string_view path = "$");
  // Always open, in UTC.
  static Calendar always_open();

  Status status(TimeMs t) const;
  LocalTime local(TimeMs t) const;
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

  std::string zone_name_ = "UTC";
  std::array<std::vector<Range>, 7> weekly_;  // by weekday, Sunday first
  std::vector<Day> holidays_;
  std::vector<Override> overrides_;
  struct Zone;
  std::shared_ptr<const Zone> zone_;
};

}  // namespace hotline
