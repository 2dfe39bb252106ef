// The mixer on synthetic frames: sums, saturation, a leg never hearing
// itself, muting, each listener's own codec, silence for a leg that sent
// nothing, one frame of jitter absorbed; and the media plane carrying a mix
// over real sockets (a whisper) while a plain pair stays on the relay.
#include <doctest/doctest.h>

#include <cmath>
#include <thread>

#include "g711.hpp"
#include "media_test_support.hpp"
#include "mixer.hpp"

using namespace hotline::sip::media;
using namespace hotline::sip::media::testing;
using namespace std::chrono_literals;

namespace {

std::vector<std::uint8_t> constant_frame(Codec codec, std::int16_t value) {
  std::vector<std::int16_t> pcm(kFrameSamples, value);
  return encode(codec, pcm.data(), pcm.size());
}

// The value a constant sample comes back as after a trip through the law.
int through(Codec codec, std::int16_t value) {
  return decode(codec, constant_frame(codec, value))[0];
}

std::vector<std::int16_t> mixed_for(const Mixer& mixer, LegId listener, Codec codec) {
  std::vector<std::uint8_t> out(kFrameSamples);
  REQUIRE(mixer.mix_for(listener, codec, out.data()));
  return decode(codec, out);
}

void feed(Mixer& mixer, LegId leg, std::int16_t value) {
  auto frame = constant_frame(Codec::pcmu, value);
  mixer.take(leg, Codec::pcmu, frame.data(), frame.size());
}

// Energy of one frequency in the samples (Goertzel), normalised per sample.
double tone_power(const std::vector<std::int16_t>& samples, double frequency) {
  const double coefficient = 2 * std::cos(2 * M_PI * frequency / 8000.0);
  double previous = 0;
  double before = 0;
  for (std::int16_t sample : samples) {
    const double current = sample + coefficient * previous - before;
    before = previous;
    previous = current;
  }
  const double power = previous * previous + before * before - coefficient * previous * before;
  return power / static_cast<double>(samples.size() * samples.size());
}

}  // namespace

TEST_CASE("a listener hears the sum of the legs it hears, in its own frame") {
  Mixer mixer({{1, {2, 3}}, {2, {1, 3}}, {3, {1, 2}}});
  feed(mixer, 1, 100);
  feed(mixer, 2, 1000);
  feed(mixer, 3, 3000);
  mixer.begin_tick();
  const int expected = through(Codec::pcmu, 1000) + through(Codec::pcmu, 3000);
  auto heard = mixed_for(mixer, 1, Codec::pcmu);
  REQUIRE(heard.size() == kFrameSamples);
  for (std::int16_t sample : heard) {
    CHECK(std::abs(sample - expected) <= g711_tolerance(expected));
  }
}

TEST_CASE("sums saturate at the 16-bit limits instead of wrapping") {
  Frame sum;
  sum.fill(30000);
  Frame loud;
  loud.fill(30000);
  mix_into(sum, loud);
  CHECK(sum[0] == 32767);
  sum.fill(-30000);
  loud.fill(-30000);
  mix_into(sum, loud);
  CHECK(sum[kFrameSamples - 1] == -32768);

  Mixer mixer({{1, {2, 3}}, {2, {}}, {3, {}}});
  feed(mixer, 2, 30000);
  feed(mixer, 3, 30000);
  mixer.begin_tick();
  // Wrapped, the sum would be negative; clamped, it is the law's loudest code.
  for (std::int16_t sample : mixed_for(mixer, 1, Codec::pcmu)) {
    CHECK(sample == through(Codec::pcmu, 32767));
  }
}

TEST_CASE("a leg never hears its own audio, even when the plan names it") {
  Mixer mixer({{1, {1, 2}}, {2, {1}}});
  feed(mixer, 1, 8000);
  mixer.begin_tick();  // leg 2 sent nothing: silence
  for (std::int16_t sample : mixed_for(mixer, 1, Codec::pcmu)) {
    CHECK(sample == through(Codec::pcmu, 0));
  }
  for (std::int16_t sample : mixed_for(mixer, 2, Codec::pcmu)) {
    CHECK(sample == through(Codec::pcmu, 8000));
  }
}

TEST_CASE("a muted leg is heard by nobody but still hears the others") {
  // Legs 1 and 2 talk; leg 3 is in the mix but nobody lists it.
  Mixer mixer({{1, {2}}, {2, {1}}, {3, {1, 2}}});
  CHECK_FALSE(mixer.heard(3));
  CHECK(mixer.heard(1));
  feed(mixer, 1, 500);
  feed(mixer, 2, 700);
  feed(mixer, 3, 20000);
  mixer.begin_tick();
  for (std::int16_t sample : mixed_for(mixer, 1, Codec::pcmu)) {
    CHECK(sample == through(Codec::pcmu, 700));
  }
  for (std::int16_t sample : mixed_for(mixer, 2, Codec::pcmu)) {
    CHECK(sample == through(Codec::pcmu, 500));
  }
  const int both = through(Codec::pcmu, 500) + through(Codec::pcmu, 700);
  for (std::int16_t sample : mixed_for(mixer, 3, Codec::pcmu)) {
    CHECK(std::abs(sample - both) <= g711_tolerance(both));
  }
}

TEST_CASE("a listener's decoded sum is what it is sent, before encoding") {
  // A whisper: the caller (1) hears the agent (2) only; the agent hears both.
  Mixer mixer({{1, {2}}, {2, {1, 3}}, {3, {1, 2}}});
  feed(mixer, 1, 500);
  feed(mixer, 2, 700);
  feed(mixer, 3, 3000);
  mixer.begin_tick();
  Frame caller;
  REQUIRE(mixer.sum_for(1, caller));
  for (std::int16_t sample : caller) CHECK(sample == through(Codec::pcmu, 700));
  Frame agent;
  REQUIRE(mixer.sum_for(2, agent));
  const int both = through(Codec::pcmu, 500) + through(Codec::pcmu, 3000);
  for (std::int16_t sample : agent) CHECK(sample == both);
  // Encoding the sum gives exactly the listener's frame.
  std::vector<std::uint8_t> sent(kFrameSamples);
  REQUIRE(mixer.mix_for(2, Codec::pcma, sent.data()));
  CHECK(sent == encode(Codec::pcma, agent.data(), agent.size()));
}

TEST_CASE("a listener that hears nobody has no sum, and a silent frame") {
  Mixer mixer({{1, {2}}, {2, {}}});
  feed(mixer, 1, 900);
  mixer.begin_tick();
  Frame sum;
  sum.fill(123);
  CHECK_FALSE(mixer.sum_for(2, sum));
  for (std::int16_t sample : sum) CHECK(sample == 0);
  CHECK_FALSE(mixer.sum_for(7, sum));  // not in the plan at all
}

TEST_CASE("each listener gets the mix encoded in its own codec") {
  Mixer mixer({{1, {3}}, {2, {3}}, {3, {}}});
  auto voice = sine(440, 9000, kFrameSamples);
  auto frame = encode(Codec::pcma, voice.data(), voice.size());
  mixer.take(3, Codec::pcma, frame.data(), frame.size());
  mixer.begin_tick();
  std::vector<std::uint8_t> as_pcmu(kFrameSamples);
  std::vector<std::uint8_t> as_pcma(kFrameSamples);
  REQUIRE(mixer.mix_for(1, Codec::pcmu, as_pcmu.data()));
  REQUIRE(mixer.mix_for(2, Codec::pcma, as_pcma.data()));
  auto decoded = decode(Codec::pcma, frame);
  CHECK(as_pcmu == encode(Codec::pcmu, decoded.data(), decoded.size()));
  CHECK(as_pcma == frame);
  std::vector<std::uint8_t> unused(kFrameSamples);
  CHECK_FALSE(mixer.mix_for(3, Codec::pcmu, unused.data()));  // hears nobody: sent nothing
}

TEST_CASE("a frame early or late against the tick is played on the next tick, not lost") {
  Mixer mixer({{1, {2}}, {2, {1}}, {3, {2}}});
  feed(mixer, 2, 1000);  // two frames in one tick ...
  feed(mixer, 2, 2000);
  mixer.begin_tick();
  CHECK(mixed_for(mixer, 1, Codec::pcmu)[0] == through(Codec::pcmu, 1000));
  mixer.begin_tick();  // ... none in the next
  CHECK(mixed_for(mixer, 1, Codec::pcmu)[0] == through(Codec::pcmu, 2000));
  mixer.begin_tick();  // nothing waiting: silence
  CHECK(mixed_for(mixer, 1, Codec::pcmu)[0] == through(Codec::pcmu, 0));
  for (int i = 0; i < 10; ++i) feed(mixer, 2, static_cast<std::int16_t>(100 * (i + 1)));
  mixer.begin_tick();  // a backlog is cut to the newest few frames
  CHECK(mixed_for(mixer, 1, Codec::pcmu)[0] ==
        through(Codec::pcmu, static_cast<std::int16_t>(100 * (10 - Mixer::kMaxWaitingFrames + 1))));
}

TEST_CASE("a leg removed from the mix is neither heard nor sent to") {
  Mixer mixer({{1, {2, 3}}, {2, {1, 3}}, {3, {1, 2}}});
  mixer.remove(3);
  CHECK_FALSE(mixer.has(3));
  CHECK(mixer.legs() == std::vector<LegId>{1, 2});
  feed(mixer, 3, 9000);  // ignored
  feed(mixer, 2, 600);
  mixer.begin_tick();
  CHECK(mixed_for(mixer, 1, Codec::pcmu)[0] == through(Codec::pcmu, 600));
  std::vector<std::uint8_t> unused(kFrameSamples);
  CHECK_FALSE(mixer.mix_for(3, Codec::pcmu, unused.data()));
}

TEST_CASE("only two legs hearing each other alone count as a plain pair") {
  LegId a = 0;
  LegId b = 0;
  CHECK(is_plain_pair({{4, {9}}, {9, {4}}}, &a, &b));
  CHECK(a == 4);
  CHECK(b == 9);
  CHECK_FALSE(is_plain_pair({{4, {9}}, {9, {}}}, &a, &b));          // one-way
  CHECK_FALSE(is_plain_pair({{4, {9}}, {9, {4}}, {5, {4, 9}}}, &a, &b));  // a listener
  CHECK_FALSE(is_plain_pair({{4, {9, 4}}, {9, {4}}}, &a, &b));
}

namespace {

struct ThreeLegs {
  ScratchDir dir;
  EventLog log;
  std::unique_ptr<MediaServer> server;
  Phone caller;      // leg 1, PCMU
  Phone agent;       // leg 2, PCMA
  Phone supervisor;  // leg 3, PCMU
  std::uint16_t ports[3] = {};

  ThreeLegs() {
    std::string error;
    server = MediaServer::start(config_in(dir), log.events(), &error);
    REQUIRE_MESSAGE(server, error);
    for (LegId leg = 1; leg <= 3; ++leg) {
      ports[leg - 1] = server->open_leg(leg, &error).port;
      REQUIRE(ports[leg - 1] != 0);
    }
    server->set_remote(1, caller.address(), Codec::pcmu, 101);
    server->set_remote(2, agent.address(), Codec::pcma, 101);
    server->set_remote(3, supervisor.address(), Codec::pcmu, 101);
  }

  // Each phone sends its own tone for `frames` 20 ms frames, paced.
  void talk(std::size_t frames) {
    auto low = sine(400, 8000, kFrameSamples * frames);
    auto middle = sine(1000, 8000, kFrameSamples * frames);
    auto high = sine(1800, 8000, kFrameSamples * frames);
    for (std::size_t f = 0; f < frames; ++f) {
      auto ts = static_cast<std::uint32_t>(160 * f);
      auto seq = static_cast<std::uint16_t>(f);
      caller.send_rtp(0, f == 0, seq, ts, 0x1, encode(Codec::pcmu, &low[160 * f], 160), ports[0]);
      agent.send_rtp(8, f == 0, seq, ts, 0x2, encode(Codec::pcma, &middle[160 * f], 160),
                     ports[1]);
      supervisor.send_rtp(0, f == 0, seq, ts, 0x3, encode(Codec::pcmu, &high[160 * f], 160),
                          ports[2]);
      std::this_thread::sleep_for(20ms);
    }
  }
};

// What the phone received until now and for 100 ms more: a mix sends on
// every tick, so its listeners never fall quiet.
std::vector<std::int16_t> heard_by(const Phone& phone, Codec codec) {
  std::vector<std::int16_t> all;
  auto deadline = std::chrono::steady_clock::now() + 100ms;
  while (std::chrono::steady_clock::now() < deadline) {
    auto packet = phone.receive(10ms);
    if (!packet) continue;
    auto samples = decode(codec, packet->payload());
    all.insert(all.end(), samples.begin(), samples.end());
  }
  return all;
}

}  // namespace

TEST_CASE("a whisper through the media plane: the agent hears the supervisor, the caller not") {
  ThreeLegs call;
  call.server->mix({{1, {2}}, {2, {1, 3}}, {3, {1, 2}}});
  call.talk(25);
  auto caller = heard_by(call.caller, Codec::pcmu);
  auto agent = heard_by(call.agent, Codec::pcma);
  auto supervisor = heard_by(call.supervisor, Codec::pcmu);
  REQUIRE(caller.size() >= 20 * kFrameSamples);
  REQUIRE(agent.size() >= 20 * kFrameSamples);
  REQUIRE(supervisor.size() >= 20 * kFrameSamples);
  constexpr double kPresent = 1e5;  // a 8000-amplitude tone gives about 1.6e7
  constexpr double kAbsent = 1e4;
  CHECK(tone_power(caller, 1000) > kPresent);  // the agent
  CHECK(tone_power(caller, 1800) < kAbsent);   // not the supervisor
  CHECK(tone_power(caller, 400) < kAbsent);    // not itself
  CHECK(tone_power(agent, 400) > kPresent);
  CHECK(tone_power(agent, 1800) > kPresent);
  CHECK(tone_power(supervisor, 400) > kPresent);
  CHECK(tone_power(supervisor, 1000) > kPresent);
  CHECK(call.server->stats().packets_mixed > 0);
  CHECK(call.server->stats().packets_relayed == 0);
}

TEST_CASE("a mix of two legs that hear each other alone is relayed, not decoded") {
  ThreeLegs call;
  call.server->mix({{1, {2}}, {2, {1}}});
  call.talk(10);
  auto caller = heard_by(call.caller, Codec::pcmu);
  CHECK(tone_power(caller, 1000) > 1e5);
  MediaStats stats = call.server->stats();
  CHECK(stats.packets_relayed >= 18);
  CHECK(stats.packets_mixed == 0);
  CHECK(heard_by(call.supervisor, Codec::pcmu).empty());
}

TEST_CASE("a leg taken out of a mix is sent nothing, and the others go on") {
  ThreeLegs call;
  call.server->mix({{1, {2, 3}}, {2, {1, 3}}, {3, {1, 2}}});
  call.server->unmix(3);
  call.talk(10);
  CHECK(heard_by(call.supervisor, Codec::pcmu).empty());
  auto caller = heard_by(call.caller, Codec::pcmu);
  CHECK(tone_power(caller, 1000) > 1e5);
  CHECK(tone_power(caller, 1800) < 1e4);
}

TEST_CASE("a prompt to a mixed leg is refused with the reason, and the mix goes on") {
  ThreeLegs call;
  call.server->mix({{1, {2, 3}}, {2, {1, 3}}, {3, {1, 2}}});
  call.server->play(1, {{Prompt::Kind::tts, "hello"}}, false);
  REQUIRE(call.log.wait_for([&] { return !call.log.playbacks().empty(); }));
  PlaybackDone done = call.log.playbacks()[0];
  CHECK(done.leg == 1);
  CHECK_FALSE(done.ok);
  CHECK(done.error == "leg 1 is mixed: unmix it before playing to it");
  call.talk(10);
  CHECK(tone_power(heard_by(call.caller, Codec::pcmu), 1000) > 1e5);
}
