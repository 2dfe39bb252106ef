// The ticket a flow's create_ticket request becomes when the engine writes it
// to its own store (hl_engine_use_store).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "hotline/runtime/ticket_request.hpp"

using hotline::runtime::ticket_from_request;
using nlohmann::json;

TEST_CASE("a voicemail's ticket names its recording after the flow's description") {
  auto t = ticket_from_request(json{{"subject", "Voicemail from 5550142"},
                                    {"description", "Out of hours"},
                                    {"call_id", "c7"},
                                    {"recording", "recordings/c7.wav"}});
  CHECK(t.subject == "Voicemail from 5550142");
  CHECK(t.description == "Out of hours\nRecording: recordings/c7.wav");
  CHECK(t.contact_id == "c7");
  CHECK(ticket_from_request(json{{"recording", "r.wav"}}).description == "Recording: r.wav");
}

TEST_CASE("a request without a subject is named after its call, with the ticket's defaults") {
  auto t = ticket_from_request(json{{"call_id", "c9"}, {"priority", "urgent"}});
  CHECK(t.subject == "Contact c9");
  CHECK(t.category == "consultation");
  CHECK(t.priority == hotline::store::TicketPriority::kUrgent);
  CHECK(t.description.empty());
}

TEST_CASE("fields of the wrong type are left at their defaults") {
  auto t = ticket_from_request(json{{"subject", 5}, {"recording", json::array()}, {"call_id", "c1"}});
  CHECK(t.subject == "Contact c1");
  CHECK(t.description.empty());
  CHECK(ticket_from_request(json::array()).subject == "Contact ");
}
