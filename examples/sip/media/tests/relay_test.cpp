// Bridged legs: relaying both ways with PCMU/PCMA transcoding, telephone
// events passed on, symmetric RTP latching, strangers dropped.
#include <doctest/doctest.h>

#include <thread>

#include "media_test_support.hpp"

using namespace hotline::sip::media;
using namespace hotline::sip::media::testing;
using namespace std::chrono_literals;

namespace {

struct BridgedCall {
  ScratchDir dir;
  EventLog log;
  std::unique_ptr<MediaServer> server;
  Phone caller;  // leg 1, PCMU
  Phone agent;   // leg 2, PCMA
  LocalEndpoint a;
  LocalEndpoint b;

  BridgedCall() {
    std::string error;
    server = MediaServer::start(config_in(dir), log.events(), &error);
    REQUIRE_MESSAGE(server, error);
    a = server->open_leg(1, &error);
    b = server->open_leg(2, &error);
    REQUIRE(a.port != 0);
    REQUIRE(b.port != 0);
    server->set_remote(1, caller.address(), Codec::pcmu, 101);
    server->set_remote(2, agent.address(), Codec::pcma, 96);
    server->bridge(1, 2, {});
    std::this_thread::sleep_for(20ms);
  }
};

}  // namespace

TEST_CASE("a bridge relays both ways, transcoding PCMU and PCMA, under each leg's own stream") {
  BridgedCall call;
  auto voice = sine(350, 10000, 1600);
  for (std::size_t f = 0; f < 10; ++f) {
    call.caller.send_rtp(0, f == 0, static_cast<std::uint16_t>(65530 + f),
                         static_cast<std::uint32_t>(1000 + 160 * f), 0xca11e5,
                         encode(Codec::pcmu, voice.data() + 160 * f, 160), call.a.port);
    call.agent.send_rtp(8, f == 0, static_cast<std::uint16_t>(7 + f),
                        static_cast<std::uint32_t>(90000 + 160 * f), 0xa6e47,
                        encode(Codec::pcma, voice.data() + 160 * f, 160), call.b.port);
  }
  auto at_agent = call.agent.receive_all(300ms);
  auto at_caller = call.caller.receive_all(300ms);
  REQUIRE(at_agent.size() == 10);
  REQUIRE(at_caller.size() == 10);

  for (std::size_t f = 0; f < 10; ++f) {
    // To the agent: PCMA, from leg 2's port, its own SSRC, numbers running on.
    const auto& to_agent = at_agent[f];
    CHECK(to_agent.payload_type() == 8);
    CHECK(ntohs(to_agent.source.sin_port) == call.b.port);
    CHECK(to_agent.ssrc() == at_agent[0].ssrc());
    CHECK(to_agent.ssrc() != 0xca11e5u);
    CHECK(to_agent.sequence() == static_cast<std::uint16_t>(at_agent[0].sequence() + f));
    CHECK(to_agent.timestamp() == at_agent[0].timestamp() + 160 * f);
    CHECK(to_agent.marker() == (f == 0));
    auto expected = encode(Codec::pcma, decode(Codec::pcmu, encode(Codec::pcmu,
                                                                   voice.data() + 160 * f, 160))
                                            .data(),
                           160);
    CHECK(to_agent.payload() == expected);

    const auto& to_caller = at_caller[f];
    CHECK(to_caller.payload_type() == 0);
    CHECK(ntohs(to_caller.source.sin_port) == call.a.port);
    CHECK(to_caller.sequence() == static_cast<std::uint16_t>(at_caller[0].sequence() + f));
    auto heard = decode(Codec::pcmu, to_caller.payload());
    for (std::size_t i = 0; i < 160; ++i) {
      int original = voice[160 * f + i];
      REQUIRE(std::abs(heard[i] - original) <= 2 * g711_tolerance(original));
    }
  }
  CHECK(at_agent[0].ssrc() != at_caller[0].ssrc());
  auto stats = call.server->stats();
  CHECK(stats.packets_received == 20);
  CHECK(stats.packets_relayed == 20);
  CHECK(stats.legs_open == 2);
}

TEST_CASE("equal codecs are relayed with the payload untouched") {
  BridgedCall call;
  call.server->set_remote(2, call.agent.address(), Codec::pcmu, 96);
  std::this_thread::sleep_for(20ms);
  std::vector<std::uint8_t> payload(160);
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<std::uint8_t>(i);
  call.caller.send_rtp(0, true, 1, 160, 5, payload, call.a.port);
  auto relayed = call.agent.receive(1s);
  REQUIRE(relayed);
  CHECK(relayed->payload_type() == 0);
  CHECK(relayed->payload() == payload);
}

TEST_CASE("telephone events cross a bridge with the receiving side's payload type") {
  BridgedCall call;
  std::vector<std::uint8_t> five = {5, 10, 0, 160};
  call.caller.send_rtp(101, true, 40, 8000, 9, five, call.a.port);
  auto relayed = call.agent.receive(1s);
  REQUIRE(relayed);
  CHECK(relayed->payload_type() == 96);
  CHECK(relayed->payload() == five);
  std::this_thread::sleep_for(100ms);
  CHECK(call.log.digits().empty());  // relayed, not reported
}

TEST_CASE("latching follows the first packet's source and a stranger is dropped and counted") {
  BridgedCall call;
  Phone behind_nat;  // the caller's real source, not the SDP's address
  Phone stranger;
  call.server->set_remote(1, call.caller.address(), Codec::pcmu, 101);
  std::this_thread::sleep_for(20ms);
  std::vector<std::uint8_t> silence(160, 0xff);

  behind_nat.send_rtp(0, true, 1, 160, 77, silence, call.a.port);
  REQUIRE(call.agent.receive(1s));
  // The agent's audio now goes where the caller's packets came from.
  call.agent.send_rtp(8, true, 1, 160, 88, std::vector<std::uint8_t>(160, 0xd5), call.b.port);
  CHECK(behind_nat.receive(1s).has_value());
  CHECK_FALSE(call.caller.receive(200ms).has_value());

  // The SDP's address, and anyone else, are strangers from now on.
  for (int i = 0; i < 5; ++i) stranger.send_rtp(0, false, 50, 8000, 99, silence, call.a.port);
  call.caller.send_rtp(0, false, 2, 320, 77, silence, call.a.port);
  std::this_thread::sleep_for(200ms);
  CHECK_FALSE(call.agent.receive(100ms).has_value());
  CHECK(call.server->stats().packets_dropped_stranger == 6);
  CHECK(call.server->stats().packets_relayed == 2);
}

TEST_CASE("unbridged legs stop relaying; a closed leg frees its port") {
  BridgedCall call;
  std::vector<std::uint8_t> silence(160, 0xff);
  call.server->unbridge(2);
  std::this_thread::sleep_for(50ms);
  call.caller.send_rtp(0, true, 1, 160, 5, silence, call.a.port);
  CHECK_FALSE(call.agent.receive(200ms).has_value());
  call.server->close_leg(1);
  call.server->close_leg(2);
  REQUIRE(call.log.wait_for([&] { return call.server->stats().legs_open == 0; }, 2s));
}

TEST_CASE("garbage packets are dropped and counted, and the leg keeps relaying") {
  BridgedCall call;
  std::vector<std::vector<std::uint8_t>> garbage = {
      {},                                                // empty datagram
      {0x80, 0x00, 0x00},                                // shorter than a header
      {0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xff},     // version 1
      {0x8f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1},           // 15 CSRCs promised, none there
      {0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 9},  // extension longer than the packet
      {0xa0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 200},   // padding longer than the payload
      std::vector<std::uint8_t>(4000, 0x80),                // oversized
  };
  for (const auto& packet : garbage) call.caller.send_raw(packet, call.a.port);
  std::this_thread::sleep_for(200ms);
  auto stats = call.server->stats();
  CHECK(stats.packets_dropped_malformed == garbage.size());
  CHECK(stats.packets_relayed == 0);
  CHECK(stats.packets_dropped_stranger == 0);

  call.caller.send_rtp(0, true, 1, 160, 5, std::vector<std::uint8_t>(160, 0xff), call.a.port);
  CHECK(call.agent.receive(1s).has_value());
}
