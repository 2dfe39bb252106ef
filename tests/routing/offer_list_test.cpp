// A contact's offers list holds its first reservation inline and the rest in
// a vector: it must answer exactly as the plain vector it replaced, and the
// router's offers, rejections, time-outs and rescinds with it as before.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "../../src/routing/offer_list.hpp"
#include "router_fixture.hpp"

namespace hotline::routing {
namespace {

using testing::agent;
using testing::contact;
using testing::Harness;
using testing::queue;

std::vector<ReservationId> listed(const OfferList& l) {
  std::vector<ReservationId> v;
  l.for_each([&](ReservationId id) { v.push_back(id); });
  return v;
}

void check_same(const OfferList& l, const std::vector<ReservationId>& expected) {
  REQUIRE(l.size() == expected.size());
  CHECK(l.empty() == expected.empty());
  for (std::size_t i = 0; i < expected.size(); ++i) CHECK(l[i] == expected[i]);
  CHECK(listed(l) == expected);
}

TEST_CASE("an offers list answers as a vector over a generated sequence of changes") {
  std::mt19937_64 rng(17);
  OfferList list, other;
  std::vector<ReservationId> expected, expected_other;
  ReservationId next = 1;
  for (int step = 0; step < 20'000; ++step) {
    const auto op = rng() % 10;
    if (op < 4) {
      list.push_back(next);
      expected.push_back(next);
      ++next;
    } else if (op < 8) {
      // Erase a listed id (any position) or one never or no longer listed.
      ReservationId id = next;  // not yet given out
      if (!expected.empty() && rng() % 4 != 0) {
        id = expected[rng() % expected.size()];
      } else if (next > 1) {
        id = 1 + rng() % (next - 1);
      }
      list.erase(id);
      expected.erase(std::remove(expected.begin(), expected.end(), id), expected.end());
    } else if (op == 8) {
      list.swap(other);
      expected.swap(expected_other);
    } else if (rng() % 8 == 0) {
      list.clear();
      expected.clear();
    }
    check_same(list, expected);
    check_same(other, expected_other);
  }
}

TEST_CASE("an offers list moved out of and back into a record keeps its order") {
  OfferList l;
  for (ReservationId id : {5, 9, 2}) l.push_back(id);
  OfferList moved = std::move(l);
  check_same(moved, {5, 9, 2});
  moved.erase(5);  // the inline one: the next moves up
  check_same(moved, {9, 2});
  moved.clear();
  check_same(moved, {});
  moved.push_back(7);
  check_same(moved, {7});
}

// The reservation ids of the outputs of one kind, in order.
std::vector<ReservationId> reservations_of(const Harness& h, Output::Kind kind) {
  std::vector<ReservationId> v;
  for (const Output& o : h.of(kind)) v.push_back(o.reservation);
  return v;
}

TEST_CASE("one agent: a contact's reservation is rejected, re-offered, times out and is taken") {
  Harness h;
  QueueConfig q = queue("q");
  q.offer_timeout_ms = 10'000;
  h.add(q);
  h.add(agent("a", {"q"}));
  h.login("a");
  h.clear();
  const ContactId c = h.enqueue(contact("q"));
  auto offers = h.offers();
  REQUIRE(offers.size() == 1);
  const ReservationId first = offers[0].reservation;
  h.clear();
  REQUIRE(h.router.reject(first, h.now).ok());
  CHECK(reservations_of(h, Output::Kind::kOfferRejected) == std::vector<ReservationId>{first});
  CHECK(h.of(Output::Kind::kContactRequeued).size() == 1);
  CHECK(h.offers().empty());  // not straight back to the agent who declined
  CHECK(h.router.contact_snapshot(c)->state == ContactState::kWaiting);
  // A second rejection of the same reservation is refused as before.
  CHECK(h.router.reject(first, h.now).error().code == Errc::kNotFound);
  h.clear();
  h.tick(5'000);  // the re-offer delay passes
  offers = h.offers();
  REQUIRE(offers.size() == 1);
  const ReservationId second = offers[0].reservation;
  CHECK(second != first);
  h.clear();
  h.tick(10'000);  // unanswered
  CHECK(reservations_of(h, Output::Kind::kOfferTimedOut) == std::vector<ReservationId>{second});
  CHECK(h.router.contact_snapshot(c)->state == ContactState::kWaiting);
  h.clear();
  h.tick(5'000);
  offers = h.offers();
  REQUIRE(offers.size() == 1);
  const ReservationId third = offers[0].reservation;
  h.clear();
  REQUIRE(h.router.accept(third, h.now).ok());
  CHECK(h.of(Output::Kind::kRescind).empty());
  CHECK(h.router.contact_snapshot(c)->state == ContactState::kConnected);
}

TEST_CASE("ring all: the inline reservation rejected, the rest rescinded in order") {
  Harness h;
  h.add(queue("q", Strategy::kRingAll));
  for (const char* id : {"a", "b", "c", "d"}) {
    h.add(agent(id, {"q"}));
    h.login(id);
  }
  h.clear();
  const ContactId first_contact = h.enqueue(contact("q"));
  auto offers = h.offers();
  REQUIRE(offers.size() == 4);
  std::vector<ReservationId> rids;
  for (const Output& o : offers) rids.push_back(o.reservation);
  h.clear();
  // The first reservation (held inline) goes; the others still ring.
  REQUIRE(h.router.reject(rids[0], h.now).ok());
  CHECK(h.of(Output::Kind::kContactRequeued).empty());
  CHECK(h.offers().empty());
  h.clear();
  // Then one from the middle.
  REQUIRE(h.router.no_answer(rids[2], h.now).ok());
  CHECK(reservations_of(h, Output::Kind::kOfferTimedOut) == std::vector<ReservationId>{rids[2]});
  h.clear();
  // Taking the last rescinds the one left, and only it.
  REQUIRE(h.router.accept(rids[3], h.now).ok());
  CHECK(reservations_of(h, Output::Kind::kRescind) == std::vector<ReservationId>{rids[1]});
  CHECK(h.router.contact_snapshot(first_contact)->state == ContactState::kConnected);

  // A contact removed while ringing rescinds every offer in the order made.
  h.clear();
  CHECK_FALSE(h.router.remove(first_contact, h.now).ok());  // connected: refused
  h.clear();
  const ContactId second_contact = h.enqueue(contact("q"));
  offers = h.offers();
  REQUIRE(offers.size() == 3);  // d is connected
  rids.clear();
  for (const Output& o : offers) rids.push_back(o.reservation);
  h.clear();
  REQUIRE(h.router.reject(rids[1], h.now).ok());
  h.clear();
  REQUIRE(h.router.remove(second_contact, h.now).ok());
  CHECK(reservations_of(h, Output::Kind::kRescind) == std::vector<ReservationId>{rids[0], rids[2]});
}

}  // namespace
}  // namespace hotline::routing
