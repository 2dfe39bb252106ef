#include <doctest/doctest.h>

#include "hotline/metrics/queue_log.hpp"

using namespace hotline::metrics;

TEST_CASE("queue_log lines follow Asterisk's field order") {
  QueueLogFormatter f;
  const hotline::TimeMs t = 1'700'000'000'123;
  CHECK(f.enter_queue(t, "call-1", "sales", "+4930123", 3) ==
        "1700000000|call-1|sales|NONE|ENTERQUEUE||+4930123|3");
  CHECK(f.connect(t, "call-1", "sales", "ann", 12'400, 3'000) ==
        "1700000000|call-1|sales|ann|CONNECT|12|call-1|3");
  CHECK(f.complete(t, "call-1", "sales", "ann", true, 12'000, 301'999, 3) ==
        "1700000000|call-1|sales|ann|COMPLETECALLER|12|301|3");
  CHECK(f.complete(t, "call-1", "sales", "ann", false, 12'000, 30'000, 1) ==
        "1700000000|call-1|sales|ann|COMPLETEAGENT|12|30|1");
  CHECK(f.abandon(t, "call-2", "sales", 2, 4, 65'000) ==
        "1700000000|call-2|sales|NONE|ABANDON|2|4|65");
  CHECK(f.exit_with_timeout(t, "call-3", "sales", 1, 5, 300'000) ==
        "1700000000|call-3|sales|NONE|EXITWITHTIMEOUT|1|5|300");
  CHECK(f.exit_with_key(t, "call-4", "sales", '1', 1, 2, 61'000) ==
        "1700000000|call-4|sales|NONE|EXITWITHKEY|1|1|2|61");
  CHECK(f.ring_no_answer(t, "call-1", "sales", "bob", 15'000) ==
        "1700000000|call-1|sales|bob|RINGNOANSWER|15000");
  CHECK(f.pause(t, "bob", "lunch") == "1700000000|NONE|NONE|bob|PAUSE|lunch");
  CHECK(f.agent_login(t, "bob") == "1700000000|NONE|NONE|bob|AGENTLOGIN");
}

TEST_CASE("separators inside fields cannot split a record") {
  QueueLogFormatter f;
  CHECK(f.pause(0, "bob", "a|b\nc") == "0|NONE|NONE|bob|PAUSE|a_b_c");
}
