#include <doctest/doctest.h>

#include "refer_target.hpp"

using namespace hotline::sip;

TEST_CASE("a Refer-To user is an agent, else a queue, else a number") {
  const std::vector<std::string> agents{"a01", "a02", "retail2"};
  const std::vector<std::string> queues{"retail", "vip", "retail2"};
  auto agent = classify_transfer_target("a02", agents, queues);
  CHECK(agent.kind == TransferTarget::Kind::agent);
  CHECK(agent.id == "a02");
  CHECK(classify_transfer_target("vip", agents, queues).kind == TransferTarget::Kind::queue);
  CHECK(classify_transfer_target("retail2", agents, queues).kind ==
        TransferTarget::Kind::agent);  // the agent first
  auto number = classify_transfer_target("+97235550100", agents, queues);
  CHECK(number.kind == TransferTarget::Kind::number);
  CHECK(number.id == "+97235550100");
}

TEST_CASE("the Replaces of a Refer-To URI names the dialog, escaped or not") {
  auto dialog = replaces_of("Replaces=abc%40127.0.0.1%3Bto-tag%3D7f%3Bfrom-tag%3Dx1");
  REQUIRE(dialog);
  CHECK(dialog->call_id == "abc@127.0.0.1");
  CHECK(dialog->to_tag == "7f");
  CHECK(dialog->from_tag == "x1");
  auto decoded = replaces_of("?Replaces=k1%3Bto-tag%3Da%3Bfrom-tag%3Db");  // as libre keeps it
  REQUIRE(decoded);
  CHECK(decoded->call_id == "k1");
  auto second = replaces_of("Require=replaces&replaces=k9;from-tag=b;to-tag=a");
  REQUIRE(second);
  CHECK(second->call_id == "k9");
  CHECK(second->to_tag == "a");
  CHECK(second->from_tag == "b");
}

TEST_CASE("a Replaces without both tags, or no Replaces, names no dialog") {
  CHECK_FALSE(replaces_of(""));
  CHECK_FALSE(replaces_of("Require=replaces"));
  CHECK_FALSE(replaces_of("Replaces=abc%3Bto-tag%3D1"));
  CHECK_FALSE(replaces_of("Replaces="));
}

TEST_CASE("percent escapes are decoded and a broken one is kept") {
  CHECK(percent_decoded("a%40b%3b") == "a@b;");
  CHECK(percent_decoded("100%") == "100%");
  CHECK(percent_decoded("%zz%4") == "%zz%4");
}

TEST_CASE("only what a phone can dial is a number for the trunk") {
  CHECK(dialable_number("5551234"));
  CHECK(dialable_number("+8613800138000"));
  CHECK(dialable_number("*86#"));
  CHECK_FALSE(dialable_number(""));
  CHECK_FALSE(dialable_number("sip:premium@elsewhere.example"));  // a decoded "sip%3A..." user
  CHECK_FALSE(dialable_number("555 1234"));
  CHECK_FALSE(dialable_number("bob"));
}
