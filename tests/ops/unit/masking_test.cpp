// What an agent sees of a customer: the masks themselves, and that every
// place a customer's contact details sit in a document is masked.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "masking.hpp"
#include "screen_pop.hpp"

using hotline::ops::mask_customer;
using hotline::ops::mask_customer_view;
using hotline::ops::mask_email;
using hotline::ops::mask_identifier;
using hotline::ops::mask_phone;
using hotline::ops::mask_screen_pop;
using nlohmann::json;

TEST_CASE("a phone number keeps its last four digits and nothing of its layout") {
  CHECK(mask_phone("+12025550123") == "*******0123");
  CHECK(mask_phone("(202) 555-0123") == "******0123");
  CHECK(mask_phone("0123") == "0123");
  CHECK(mask_phone("12") == "12");
  CHECK(mask_phone("anonymous") == "anonymous");
  CHECK(mask_phone("") == "");
}

TEST_CASE("an e-mail address keeps its domain") {
  CHECK(mask_email("ann@example.com") == "***@example.com");
  CHECK(mask_email("a.b@c@example.org") == "***@example.org");
  CHECK(mask_email("no-at-sign") == "***");
  CHECK(mask_email("") == "");
}

TEST_CASE("an ID or card number keeps its last four characters, counted in UTF-8") {
  CHECK(mask_identifier("110101199001011234") == "****1234");
  CHECK(mask_identifier("4111111111111111") == "****1111");
  CHECK(mask_identifier("身份证号码一二三四") == "****一二三四");
  CHECK(mask_identifier("abc") == "****");
  CHECK(mask_identifier("****1234") == "****1234");  // the store's mask stays as it is
}

TEST_CASE("a customer document is masked in every sensitive field, and only there") {
  json customer{{"id", 7},
                {"name", "Ann"},
                {"phones", {"+12025550123", "+8613800000001"}},
                {"emails", {"ann@example.com"}},
                {"national_id", "110101199001011234"},
                {"payment_info", ""},
                {"tier", "gold"}};
  mask_customer(customer);
  CHECK(customer["phones"] == json{"*******0123", "*********0001"});
  CHECK(customer["emails"] == json{"***@example.com"});
  CHECK(customer["national_id"] == "****1234");
  CHECK(customer["payment_info"] == "");
  CHECK(customer["name"] == "Ann");
  CHECK(customer["tier"] == "gold");
}

TEST_CASE("the 360° view masks the record and each contact's calling number") {
  json view{{"customer", {{"phones", {"+12025550123"}}}},
            {"contacts", {{{"ani", "+12025550123"}, {"agent", "r01"}}}},
            {"open_tickets", json::array()}};
  mask_customer_view(view);
  CHECK(view["customer"]["phones"] == json{"*******0123"});
  CHECK(view["contacts"][0]["ani"] == "*******0123");
  CHECK(view["contacts"][0]["agent"] == "r01");
}

TEST_CASE("a screen pop masks its customer and its caller; odd shapes are left alone") {
  json pop{{"caller", "+8613800000001"},
           {"customer", {{"id", 42}, {"phone", "+8613800000001"}, {"email", "li@x.cn"}}}};
  mask_screen_pop(pop);
  CHECK(pop["caller"] == "*********0001");
  CHECK(pop["customer"]["phone"] == "*********0001");
  CHECK(pop["customer"]["email"] == "***@x.cn");
  json odd{{"customer", "text"}, {"caller", 5}};
  mask_screen_pop(odd);
  CHECK(odd == json{{"customer", "text"}, {"caller", 5}});
}

TEST_CASE("a ring's screen pop goes to the agent rung, masked, and to supervisors whole") {
  hotline::engine::Command ring;
  ring.kind = hotline::engine::Command::Kind::kRingAgent;
  ring.call_id = "c1";
  ring.agent_id = "ann";
  ring.reservation = 9;
  ring.time = 5'000;
  ring.args_json = json{{"caller", "+8613800000001"},
                        {"customer", {{"id", 42}, {"email", "li@x.cn"}}},
                        {"ivr_path", {"menu"}}}
                       .dump();
  using hotline::ops::Principal;
  using hotline::ops::Role;
  const auto ann = hotline::ops::screen_pop_for(Principal{Role::kAgent, "ann"}, ring);
  REQUIRE(ann);
  CHECK((*ann)["kind"] == "screen_pop");
  CHECK((*ann)["reservation"] == 9);
  CHECK((*ann)["context"]["caller"] == "*********0001");
  CHECK((*ann)["context"]["customer"]["email"] == "***@x.cn");
  CHECK((*ann)["context"]["ivr_path"] == json{"menu"});
  CHECK_FALSE(hotline::ops::screen_pop_for(Principal{Role::kAgent, "bob"}, ring));
  const auto lead = hotline::ops::screen_pop_for(Principal{Role::kSupervisor, ""}, ring);
  REQUIRE(lead);
  CHECK((*lead)["context"]["caller"] == "+8613800000001");
  ring.kind = hotline::engine::Command::Kind::kHangup;
  CHECK_FALSE(hotline::ops::screen_pop_for(Principal{Role::kAdmin, ""}, ring));
}

TEST_CASE("a customer's free-form attributes keep their keys and hide every value") {
  json customer{{"id", 7},
                {"attributes", {{"card_expiry", "09/29"}, {"vip_since", 2019}, {"note", ""}}}};
  mask_customer(customer);
  CHECK(customer["attributes"] ==
        json{{"card_expiry", "****"}, {"vip_since", "****"}, {"note", "****"}});
  json pop{{"customer", {{"id", 42}, {"attributes", {{"pin_hint", "mother's maiden name"}}}}}};
  mask_screen_pop(pop);
  CHECK(pop["customer"]["attributes"] == json{{"pin_hint", "****"}});
  json odd{{"attributes", "text"}};
  mask_customer(odd);
  CHECK(odd == json{{"attributes", "text"}});
}

TEST_CASE("a screen pop's IVR digits keep only their last four characters") {
  json pop{{"digits", {{"account", "6222020200112233"}, {"pin", "4321"}, {"odd", 5}}},
           {"ivr_path", {"menu", "account"}}};
  mask_screen_pop(pop);
  CHECK(pop["digits"] == json{{"account", "****2233"}, {"pin", "****"}, {"odd", "****"}});
  CHECK(pop["ivr_path"] == json{"menu", "account"});
}
