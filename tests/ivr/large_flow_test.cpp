// Loading is linear in the flow's size and nothing in it recurses per node:
// 200,000 nodes used to take over a minute (every exit looked its target up
// by scanning every node), and a long goto chain overflowed the stack of the
// recursive loop check.
#include <string>

#include "ivr_fixture.hpp"

using namespace hotline;
using namespace hotline::ivr;
using namespace hotline::ivr::testing;

namespace {

constexpr int kNodes = 200'000;

std::string id(int i) { return "n" + std::to_string(i); }

}  // namespace

TEST_CASE("a 200,000-node flow loads, resolves every exit and runs end to end") {
  // play n0 → play n1 → ... with a menu every tenth node, whose 1 goes on
  // and whose fail hangs up. Written tersely: the text is 10 MB as it is.
  std::string text = R"({"id":"big","start":"n0","nodes":{)";
  for (int i = 0; i < kNodes; ++i) {
    const std::string next = i + 1 < kNodes ? id(i + 1) : "end";
    if (i % 10 == 0) {
      text += "\"" + id(i) + R"(":{"type":"menu","prompts":"m","options":{"1":")" + next +
              R"("},"fail":"end"},)";
    } else {
      text += "\"" + id(i) + R"(":{"type":"play","prompts":"p","next":")" + next + R"("},)";
    }
  }
  text += R"("end":{"type":"hangup"}}})";
  LoadResult r = FlowLoader::load_text(text);
  INFO(r.error_text());
  REQUIRE(r.ok());
  CHECK(r.diagnostics.empty());
  const Flow& flow = *r.flow;
  CHECK(flow.size() == kNodes + 1);
  for (int i : {0, 1, 2, 99'999, 100'000, kNodes - 2, kNodes - 1}) {
    const auto at = flow.find(id(i));
    REQUIRE(at);
    const Node& n = flow.node(*at);
    CHECK(n.id == id(i));
    const NodeIndex next = n.type == NodeType::kMenu ? n.options.at(0).second : n.next;
    CHECK(flow.node(next).id == (i + 1 < kNodes ? id(i + 1) : "end"));
  }
  CHECK(flow.node(flow.start()).id == "n0");

  FakeEnv env;
  Call call(env, r.flow);
  call.start();
  for (int i = 0; i < 1000; ++i) {  // the first thousand nodes, as a caller would
    call.prompt_done();
    if (i % 10 == 0) call.digits("1");
  }
  CHECK(call.session.current_node() == id(1000));
}

TEST_CASE("a 200,000-long goto chain loads; closed into a loop it is refused, briefly worded") {
  // The chain ends at `last`, which hangs up, or goes back to n0.
  auto chain_flow = [](const char* last) {
    std::string text = R"({"id":"chain","start":"start","nodes":{
      "start":{"type":"menu","prompts":"m.wav","options":{"1":"n0"},"fail":"end"},
      "end":{"type":"hangup"},)";
    for (int i = 0; i < kNodes; ++i) {
      text += "\"" + id(i) + R"(":{"type":"goto","next":")" +
              (i + 1 < kNodes ? id(i + 1) : std::string(last)) + "\"}";
      text += i + 1 < kNodes ? "," : "}}";
    }
    return text;
  };
  LoadResult chain = FlowLoader::load_text(chain_flow("end"));
  INFO(chain.error_text());
  REQUIRE(chain.ok());

  // The last goto back to the first: a loop that never waits.
  LoadResult loop = FlowLoader::load_text(chain_flow("n0"));
  REQUIRE_FALSE(loop.ok());
  REQUIRE(loop.diagnostics.size() == 1);
  // Ids sort as text: the search starts at n0 and follows the chain.
  CHECK(loop.diagnostics[0].path == "$.nodes.n0");
  CHECK(loop.diagnostics[0].message ==
        "loop n0 → n1 → n2 → n3 → n4 → n5 → n6 → n7 → … (199984 more) → n199992 → n199993 → "
        "n199994 → n199995 → n199996 → n199997 → n199998 → n199999 → n0 never waits for input");
}
