#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "access_table.hpp"
#include "ops_config.hpp"

using namespace hotline;
using namespace hotline::ops;
using nlohmann::json;

namespace {

const json kTokens = json::array({
    {{"token", "agent-r01-token-0123"}, {"role", "agent"}, {"agent_id", "r01"}},
    {{"token", "supervisor-token-0123"}, {"role", "supervisor"}},
    {{"token", "admin-token-0123456789"}, {"role", "admin"}},
});

std::string error_of(const json& tokens) {
  auto table = AccessTable::from_json(tokens, "$.tokens");
  REQUIRE_FALSE(table.ok());
  return table.error().message;
}

}  // namespace

TEST_CASE("a bearer token maps to its role and, for an agent, to the agent") {
  auto table = AccessTable::from_json(kTokens, "$.tokens");
  REQUIRE(table.ok());
  auto agent = table->authenticate("Bearer agent-r01-token-0123");
  REQUIRE(agent.has_value());
  CHECK(agent->role == Role::kAgent);
  CHECK(agent->agent_id == "r01");
  auto supervisor = table->authenticate("bearer supervisor-token-0123");
  REQUIRE(supervisor.has_value());
  CHECK(supervisor->role == Role::kSupervisor);
  CHECK(supervisor->agent_id.empty());
  CHECK(table->authenticate("Bearer admin-token-0123456789")->role == Role::kAdmin);
}

TEST_CASE("missing, malformed and unknown tokens authenticate no one") {
  auto table = AccessTable::from_json(kTokens, "$.tokens");
  REQUIRE(table.ok());
  CHECK_FALSE(table->authenticate(""));
  CHECK_FALSE(table->authenticate("Bearer "));
  CHECK_FALSE(table->authenticate("agent-r01-token-0123"));
  CHECK_FALSE(table->authenticate("Basic agent-r01-token-0123"));
  CHECK_FALSE(table->authenticate("Bearer agent-r01-token-012"));
  CHECK_FALSE(table->authenticate("Bearer agent-r01-token-0123 "));
  CHECK_FALSE(table->authenticate("Bearer  agent-r01-token-0123"));
}

TEST_CASE("an agent changes only their own state; a supervisor and an admin anyone's") {
  const Principal agent{Role::kAgent, "r01"};
  CHECK(may_set_agent_state(agent, "r01"));
  CHECK_FALSE(may_set_agent_state(agent, "r02"));
  CHECK_FALSE(sees_everything(agent));
  const Principal supervisor{Role::kSupervisor, ""};
  CHECK(may_set_agent_state(supervisor, "r02"));
  CHECK(sees_everything(supervisor));
  CHECK(may_set_agent_state(Principal{Role::kAdmin, ""}, "r07"));
}

TEST_CASE("token table errors name the JSON path of the bad entry") {
  CHECK(error_of(json::object()) == "$.tokens: must be an array");
  CHECK(error_of(json::array({{{"token", "short"}, {"role", "admin"}}})) ==
        "$.tokens[0].token: must be at least 16 characters");
  CHECK(error_of(json::array({{{"token", "0123456789abcdefgh"}, {"role", "boss"}}})) ==
        "$.tokens[0].role: must be one of agent, supervisor, admin");
  CHECK(error_of(json::array({{{"token", "0123456789abcdefgh"}, {"role", "agent"}}})).find(
            "$.tokens[0].agent_id: required field missing") == 0);
  CHECK(error_of(json::array(
            {{{"token", "0123456789abcdefgh"}, {"role", "admin"}, {"agent_id", "r01"}}})) ==
        "$.tokens[0].agent_id: only an agent or a supervisor token names an agent");
  CHECK(error_of(json::array({{{"token", "0123456789abcdefgh"}, {"role", "admin"}},
                              {{"token", "0123456789abcdefgh"}, {"role", "supervisor"}}})) ==
        "$.tokens[1].token: the same token is listed twice");
  CHECK(error_of(json::array({{{"token", "0123456789abcdefgh"}, {"role", "admin"},
                               {"secret", true}}})) ==
        "$.tokens[0].secret: unknown field (expected one of: token, role, agent_id)");
  CHECK(error_of(json::array({{{"role", "admin"}}})) ==
        "$.tokens[0].token: required field missing");
}

TEST_CASE("a token must be an RFC 6750 b64token, which a bearer header can carry") {
  const std::string rule =
      " is not allowed (a bearer token is letters, digits and -._~+/, then optional trailing '=')";
  auto token_error = [](const std::string& token) {
    return error_of(json::array({{{"token", "0123456789abcdef"}, {"role", "admin"}},
                                 {{"token", token}, {"role", "supervisor"}}}));
  };
  CHECK(token_error("0123456789 abcdefgh") == "$.tokens[1].token: character 11" + rule);
  CHECK(token_error("0123456789abcdefg\"") == "$.tokens[1].token: character 18" + rule);
  CHECK(token_error("==0123456789abcdefgh") == "$.tokens[1].token: character 1" + rule);
  CHECK(token_error("0123456789ab=cdefgh") == "$.tokens[1].token: character 14" + rule);
  CHECK(token_error("0123456789abcdefgh\n") == "$.tokens[1].token: character 19" + rule);
  CHECK(token_error("0123456789abcdéfgh") == "$.tokens[1].token: character 15" + rule);
  const json fine = json::array({{{"token", "Az09-._~+/0123456789=="}, {"role", "admin"}}});
  auto table = AccessTable::from_json(fine, "$.tokens");
  REQUIRE(table.ok());
  CHECK(table.value().authenticate("Bearer Az09-._~+/0123456789==").has_value());
}

TEST_CASE("an agent token must name an agent of the center") {
  auto exists = [](std::string_view id) { return id == "r01"; };
  CHECK(AccessTable::from_json(kTokens, "$.tokens", exists).ok());
  auto unknown = AccessTable::from_json(
      json::array({{{"token", "0123456789abcdefgh"}, {"role", "agent"}, {"agent_id", "r99"}}}),
      "$.tokens", exists);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message == "$.tokens[0].agent_id: no agent r99 in the center");
}

TEST_CASE("a supervisor token must name an agent whose role is supervisor") {
  auto exists = [](std::string_view id) { return id == "r01" || id == "s01"; };
  auto is_supervisor = [](std::string_view id) { return id == "s01"; };
  const json named = json::array({
      {{"token", "agent-r01-token-0123"}, {"role", "agent"}, {"agent_id", "r01"}},
      {{"token", "supervisor-token-0123"}, {"role", "supervisor"}, {"agent_id", "s01"}},
      {{"token", "anonymous-lead-0123"}, {"role", "supervisor"}},
  });
  CHECK(AccessTable::from_json(named, "$.tokens", exists, is_supervisor).ok());
  const json plain_agent = json::array({
      {{"token", "supervisor-token-0123"}, {"role", "supervisor"}, {"agent_id", "s01"}},
      {{"token", "fake-supervisor-0123"}, {"role", "supervisor"}, {"agent_id", "r01"}},
  });
  auto refused = AccessTable::from_json(plain_agent, "$.tokens", exists, is_supervisor);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message == "$.tokens[1].agent_id: agent r01 is not a supervisor");
  auto through_config =
      ops_config_from_json({{"tokens", plain_agent}}, exists, is_supervisor);
  REQUIRE_FALSE(through_config.ok());
  CHECK(through_config.error().message == "$.tokens[1].agent_id: agent r01 is not a supervisor");
}

TEST_CASE("the server configuration refuses unknown fields and unordered buckets") {
  auto unknown = ops_config_from_json({{"tokens", kTokens}, {"port", 1}});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message ==
        "$.port: unknown field (expected one of: tokens, wait_buckets_seconds, "
        "handle_buckets_seconds, wallboard)");
  auto unordered =
      ops_config_from_json({{"tokens", kTokens}, {"wait_buckets_seconds", {5, 20, 10}}});
  REQUIRE_FALSE(unordered.ok());
  CHECK(unordered.error().message ==
        "$.wait_buckets_seconds[2]: must be greater than the bound before it");
  auto good = ops_config_from_json({{"tokens", kTokens}, {"handle_buckets_seconds", {60, 600}}});
  REQUIRE(good.ok());
  CHECK(good->handle_buckets_seconds == std::vector<double>{60, 600});
  CHECK(good->access.size() == 3);
}
