// Bridged legs: relaying both ways with PCMU/PCMA transcoding, telephone
// events passed on, symmetric RTP latching, strangers dropped.
#include <doctest/doctest.h>

#include <random>
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

TEST_CASE("telephone events cross a bridge with the receiving side's payload type, reported once") {
  BridgedCall call;
  std::vector<std::uint8_t> five = {5, 10, 0, 160};
  call.caller.send_rtp(101, true, 40, 8000, 9, five, call.a.port);
  call.caller.send_rtp(101, false, 41, 8000, 9, five, call.a.port);  // the same press again
  auto relayed = call.agent.receive(1s);
  REQUIRE(relayed);
  CHECK(relayed->payload_type() == 96);
  CHECK(relayed->payload() == five);
  REQUIRE(call.agent.receive(1s));  // both packets pass, as the phone sent them
  // The host hears the key too, once per press: it decides what a bridged
  // leg's keys mean (an agent's in-call codes; nothing for a caller).
  REQUIRE(call.log.wait_for([&] { return !call.log.digits().empty(); }, 1s));
  std::this_thread::sleep_for(100ms);
  REQUIRE(call.log.digits().size() == 1);
  CHECK(call.log.digits()[0].leg == 1);
  CHECK(call.log.digits()[0].key == '5');
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

TEST_CASE("random datagrams are all accounted for and nothing breaks") {
  BridgedCall call;
  std::mt19937 random(13);
  constexpr int kPackets = 2000;
  for (int i = 0; i < kPackets; ++i) {
    std::vector<std::uint8_t> packet(random() % 400);
    for (auto& byte : packet) byte = static_cast<std::uint8_t>(random());
    if (!packet.empty() && i % 2 == 0) {  // half of them pass as RTP version 2
      packet[0] = static_cast<std::uint8_t>(0x80 | (packet[0] & 0x3f));
    }
    call.caller.send_raw(packet, call.a.port);
    // Stay within the socket's buffer whatever the load: the next fifty go
    // once the relay has read these. A datagram the kernel drops for want
    // of room would never be accounted for.
    if (i % 50 == 49) {
      const auto sent = static_cast<decltype(call.server->stats().packets_received)>(i + 1);
      REQUIRE(call.log.wait_for([&] { return call.server->stats().packets_received == sent; },
                                5s));
    }
  }
  REQUIRE(call.log.wait_for([&] { return call.server->stats().packets_received == kPackets; },
                            5s));
  call.agent.receive_all(200ms);
  auto stats = call.server->stats();
  CHECK(stats.packets_dropped_malformed > 0);
  CHECK(stats.packets_dropped_malformed + stats.packets_relayed <= kPackets);
  // The leg still relays a well-formed packet afterwards.
  call.caller.send_rtp(0, true, 1, 160, 5, std::vector<std::uint8_t>(160, 0xff), call.a.port);
  CHECK(call.agent.receive(1s).has_value());
}

TEST_CASE("closing one leg of a bridge ends its stereo recording and the relay") {
  BridgedCall call;
  call.server->bridge(1, 2, "closing.wav");
  std::this_thread::sleep_for(100ms);
  call.server->close_leg(2);
  REQUIRE(call.log.wait_for([&] { return !call.log.recordings().empty(); }));
  auto [leg, result] = call.log.recordings()[0];
  CHECK(leg == 1);
  CHECK(result.ok);
  CHECK(result.duration_ms >= 60);
  CHECK(read_wav(result.path).channels == 2);
  call.caller.send_rtp(0, true, 1, 160, 5, std::vector<std::uint8_t>(160, 0xff), call.a.port);
  CHECK_FALSE(call.agent.receive(200ms).has_value());
  CHECK(call.server->stats().legs_open == 1);
}

TEST_CASE("a phone sending the other G.711 law than its SDP chose is still heard") {
  BridgedCall call;  // the caller's leg is PCMU, the agent's PCMA
  auto voice = sine(500, 6000, 160);
  call.caller.send_rtp(8, true, 1, 160, 5, encode(Codec::pcma, voice.data(), 160), call.a.port);
  auto relayed = call.agent.receive(1s);
  REQUIRE(relayed);
  CHECK(relayed->payload_type() == 8);
  CHECK(relayed->payload() == encode(Codec::pcma, voice.data(), 160));  // untouched
  call.caller.send_rtp(13, false, 2, 320, 5, {0x40}, call.a.port);  // comfort noise: not relayed
  CHECK_FALSE(call.agent.receive(200ms).has_value());
}

TEST_CASE("relayed audio continues the stream a prompt started: same SSRC, numbers running on") {
  ScratchDir dir;
  EventLog log;
  write_wav(dir.path() / "audio" / "ring.wav", sine(425, 8000, 800), 8000, 1);  // 5 frames
  std::string error;
  auto server = MediaServer::start(config_in(dir), log.events(), &error);
  REQUIRE(server);
  Phone caller;
  Phone agent;
  auto a = server->open_leg(1, &error);
  auto b = server->open_leg(2, &error);
  server->set_remote(1, caller.address(), Codec::pcmu, 101);
  server->set_remote(2, agent.address(), Codec::pcmu, 101);
  server->play(2, {{Prompt::Kind::audio, "ring.wav"}}, false);
  auto prompt = agent.receive_all(300ms);
  REQUIRE(prompt.size() == 5);

  server->bridge(1, 2, {});
  std::this_thread::sleep_for(20ms);
  for (std::uint16_t f = 0; f < 3; ++f) {
    // The caller's own numbers are nowhere near the prompt's.
    caller.send_rtp(0, f == 0, static_cast<std::uint16_t>(30000 + f),
                    static_cast<std::uint32_t>(777777 + 160 * f), 0x5eed,
                    std::vector<std::uint8_t>(160, 0xff), a.port);
  }
  auto relayed = agent.receive_all(300ms);
  REQUIRE(relayed.size() == 3);
  CHECK(relayed[0].ssrc() == prompt[0].ssrc());
  CHECK(relayed[0].sequence() == static_cast<std::uint16_t>(prompt.back().sequence() + 1));
  CHECK(relayed[0].timestamp() == prompt.back().timestamp() + 160);
  CHECK(relayed[0].marker());  // a new talk spurt for the agent's phone
  CHECK_FALSE(relayed[1].marker());
  CHECK(relayed[2].sequence() == static_cast<std::uint16_t>(relayed[0].sequence() + 2));
  CHECK(relayed[2].timestamp() == relayed[0].timestamp() + 320);
}
