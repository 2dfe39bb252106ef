// The program's libre timer functions: libre's contract, and libre's own SIP
// stack starting its transaction timers in the program's heap.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <re.h>

#include "libre_timers.hpp"

using hotline::sip::pending_libre_timers;

namespace {

struct Fired {
  std::vector<int> order;
};

struct Probe {
  Fired* fired;
  int name;
};

void record(void* arg) {
  auto* probe = static_cast<Probe*>(arg);
  probe->fired->order.push_back(probe->name);
}

void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

}  // namespace

TEST_CASE("timers expire in the order of their expiry, and those due together in start order") {
  Fired fired;
  std::vector<Probe> probes;
  for (int name = 0; name < 6; ++name) probes.push_back({&fired, name});
  std::vector<struct tmr> timers(6);
  for (auto& timer : timers) tmr_init(&timer);
  const std::size_t before = pending_libre_timers();
  tmr_start(&timers[0], 30, record, &probes[0]);
  tmr_start(&timers[1], 10, record, &probes[1]);
  tmr_start(&timers[2], 10, record, &probes[2]);
  tmr_start(&timers[3], 20, record, &probes[3]);
  tmr_start(&timers[4], 10, record, &probes[4]);
  tmr_start(&timers[5], 5000, record, &probes[5]);
  CHECK(pending_libre_timers() == before + 6);
  CHECK(tmr_isrunning(&timers[0]));

  sleep_ms(60);
  tmr_poll(nullptr);
  // Started within the same millisecond or a few apart: 1, 2 and 4 share an
  // expiry or are a millisecond apart, and either way keep their start order.
  CHECK(fired.order == std::vector<int>{1, 2, 4, 3, 0});
  CHECK_FALSE(tmr_isrunning(&timers[1]));
  CHECK(tmr_isrunning(&timers[5]));
  CHECK(tmr_get_expire(&timers[5]) > 4000);
  CHECK(tmr_get_expire(&timers[5]) <= 5000);
  CHECK(tmr_get_expire(&timers[1]) == 0);

  tmr_cancel(&timers[5]);
  CHECK_FALSE(tmr_isrunning(&timers[5]));
  CHECK(pending_libre_timers() == before);
}

TEST_CASE("restarting a pending timer moves it, and cancelling one keeps the others in order") {
  Fired fired;
  std::vector<Probe> probes;
  for (int name = 0; name < 40; ++name) probes.push_back({&fired, name});
  std::vector<struct tmr> timers(40);
  for (auto& timer : timers) tmr_init(&timer);
  // Expiries 40, 39, ... 1 ms out, so the heap reorders every one of them.
  for (int i = 0; i < 40; ++i) tmr_start(&timers[i], static_cast<uint64_t>(80 - 2 * i), record,
                                          &probes[i]);
  for (int i = 0; i < 40; i += 3) tmr_cancel(&timers[i]);        // every third gone
  tmr_start(&timers[1], 1000, record, &probes[1]);               // pushed far out
  tmr_start(&timers[38], 200, record, &probes[38]);              // and another
  sleep_ms(120);
  tmr_poll(nullptr);
  std::vector<int> expected;
  for (int i = 39; i >= 0; --i) {
    if (i % 3 != 0 && i != 1 && i != 38) expected.push_back(i);
  }
  CHECK(fired.order == expected);
  CHECK(tmr_isrunning(&timers[1]));
  CHECK(tmr_isrunning(&timers[38]));
  tmr_cancel(&timers[1]);
  tmr_cancel(&timers[38]);
}

namespace {

struct Again {
  struct tmr timer;
  int runs = 0;
};

void run_again(void* arg) {
  auto* again = static_cast<Again*>(arg);
  // libre clears a timer before its handler runs, so the handler may start it anew.
  CHECK_FALSE(tmr_isrunning(&again->timer));
  if (++again->runs < 3) tmr_start(&again->timer, 100000, run_again, again);
}

}  // namespace

TEST_CASE("a handler may start its own timer again; next timeout says none, due or how long") {
  const std::size_t before = pending_libre_timers();
  if (before == 0) CHECK(tmr_next_timeout(nullptr) == 0);  // 0: no timer at all
  Again again;
  tmr_init(&again.timer);
  tmr_start(&again.timer, 1, run_again, &again);
  sleep_ms(5);
  CHECK(tmr_next_timeout(nullptr) == 1);  // overdue
  tmr_poll(nullptr);
  CHECK(again.runs == 1);
  CHECK(tmr_isrunning(&again.timer));
  CHECK(tmr_next_timeout(nullptr) > 99000);
  tmr_cancel(&again.timer);
  CHECK(pending_libre_timers() == before);
}

TEST_CASE("libre's SIP stack starts its transaction timers in the program's heap") {
  REQUIRE(libre_init() == 0);
  struct sip* stack = nullptr;
  REQUIRE(sip_alloc(&stack, nullptr, 16, 16, 16, "timer test", nullptr, nullptr) == 0);
  struct sa local;
  REQUIRE(sa_set_str(&local, "127.0.0.1", 0) == 0);
  REQUIRE(sip_transp_add(stack, SIP_TRANSP_UDP, &local) == 0);

  // Nobody answers: the client transaction keeps its retransmission timer (T1)
  // and its timeout (64*T1) pending.
  struct sa silent;
  REQUIRE(sa_set_str(&silent, "127.0.0.1", 9) == 0);
  const std::size_t before = pending_libre_timers();
  struct sip_request* request = nullptr;
  const std::string uri = "sip:nobody@127.0.0.1:9";
  REQUIRE(sip_requestf(&request, stack, true, "OPTIONS", uri.c_str(), nullptr, nullptr,
                       nullptr, nullptr, nullptr,
                       "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKtimertest\r\n"
                       "From: <sip:test@127.0.0.1>;tag=1\r\n"
                       "To: <%s>\r\n"
                       "Call-ID: timer-test\r\n"
                       "CSeq: 1 OPTIONS\r\n"
                       "Max-Forwards: 70\r\n"
                       "Content-Length: 0\r\n\r\n",
                       uri.c_str()) == 0);
  CHECK(pending_libre_timers() >= before + 2);

  mem_deref(request);
  sip_close(stack, true);
  mem_deref(stack);
  CHECK(pending_libre_timers() == before);
  libre_close();
}
