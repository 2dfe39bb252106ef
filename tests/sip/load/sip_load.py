"""Load on hotline-sip over loopback: a rate run and a concurrency run, one JSON line out.

Rate run: callers at --rate calls/s for --seconds; each goes through a short flow (one short
prompt, a one-key DTMF menu by RFC 4733), queues, is answered by an agent's phone, talks 1 s
and hangs up. Concurrency run: --calls calls held --hold-seconds with G.711 RTP both ways on
every leg: each side streams a one-second A-law tone (50 packets) --hold-seconds times over,
from SIPp's RTP stream threads (a few threads for all calls; a pcap replay would start a
thread per call and side, and two thousand of those starve everything else on two cores).
The held calls dial a flow without a menu, so the only RTP on a leg is the stream.

The agents are --calls (or enough for the rate run) registered users of one SIPp that
answers every INVITE. CPU is read per process (wait4), so a reader sees whether the host
or SIPp was the limit.
"""
import argparse
import csv
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import audio, sip_wire  # noqa: E402
from harness.ports import free_port_range, free_udp_port  # noqa: E402
from harness.host import numbers_named  # noqa: E402
from harness.sipp import PCAPS, SCENARIOS, Sipp, final_counts  # noqa: E402

STREAM_PACKETS = 50  # the streamed tone: one second of 20 ms A-law packets
FLOW_NUMBER = "2000"  # hello, a one-key menu, the queue
HELD_NUMBER = "2001"  # hello, the queue
KEY_ONE = ('  <pause milliseconds="300"/>\n'
           f'  <nop><action><exec play_pcap_audio="{PCAPS}/dtmf_2833_1.pcap"/></action></nop>\n')
TEMPLATES = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", required=True, help="the hotline-sip binary")
    parser.add_argument("--rate", type=float, default=200, help="rate run: calls per second")
    parser.add_argument("--seconds", type=float, default=60, help="rate run: seconds of calls")
    parser.add_argument("--calls", type=int, default=1000, help="concurrency run: calls held")
    parser.add_argument("--hold-seconds", type=float, default=60,
                        help="concurrency run: how long each call talks")
    parser.add_argument("--transport", choices=["udp", "tcp"], default="udp",
                        help="SIP between SIPp and the host (RTP is UDP either way)")
    parser.add_argument("--keep", action="store_true", help="keep the run's folder")
    parser.add_argument("--require-clean", action="store_true",
                        help="exit 1 unless every call succeeded and the host exited cleanly")
    options = parser.parse_args()
    options.host = str(Path(options.host).resolve())  # the host runs in the run's folder
    folder = Path(tempfile.mkdtemp(prefix="hotline-sip-load-"))
    try:
        result = LoadRun(folder, options).run()
    finally:
        if not options.keep:
            subprocess.run(["rm", "-rf", str(folder)], check=False)
    print(json.dumps(result))
    if options.require_clean and (result["calls_failed"] or result["host_exit"] != 0):
        print(f"load: {result['calls_failed']} calls failed, host exit {result['host_exit']}",
              file=sys.stderr)
        return 1
    return 0


class LoadRun:
    def __init__(self, folder: Path, options: argparse.Namespace) -> None:
        self.folder = folder
        self.options = options
        self.rate_calls = max(1, round(options.rate * options.seconds))
        # Each rate-run call holds an agent about 2 s (ring, answer, 1 s of talk).
        self.agents = max(options.calls, math.ceil(options.rate * 4)) + 10
        self.sip_port = free_udp_port()
        # Two legs a call, an even port each (RTCP would take the odd one), with room for a
        # rate run whose calls last longer than planned when the machine is slow.
        self.rtp_ports = free_port_range(8 * max(options.calls, math.ceil(options.rate * 4)) + 200)
        self.phones_port = free_udp_port()
        self.sipp_cpu = 0.0
        self.samples: list[dict] = []

    # --- the host -------------------------------------------------------------------------

    def write_config(self) -> Path:
        audio.write_tone(self.folder / "audio" / "hello.wav", 0.2, 660.0)
        audio.write_tone(self.folder / "audio" / "menu.wav", 0.3, 520.0)
        audio.write_tone(self.folder / "audio" / "hold.wav", 2.0, 392.0)
        agents = [f"agent{i:05d}" for i in range(self.agents)]
        flow = {"id": "load", "start": "hello", "queue": "load", "nodes": {
            "hello": {"type": "play", "prompts": ["audio/hello.wav"], "next": "menu"},
            "menu": {"type": "menu", "prompts": ["audio/menu.wav"], "options": {"1": "queue"},
                     "timeout_seconds": 5, "max_attempts": 2, "fail": "queue"},
            "queue": {"type": "queue", "queue": "load", "hold": ["audio/hold.wav"]}}}
        held = {"id": "held", "start": "hello", "queue": "load", "nodes": {
            "hello": {"type": "play", "prompts": ["audio/hello.wav"], "next": "queue"},
            "queue": {"type": "queue", "queue": "load", "hold": ["audio/hold.wav"]}}}
        (self.folder / "load_flow.json").write_text(json.dumps(flow))
        (self.folder / "held_flow.json").write_text(json.dumps(held))
        write_alaw_tone(self.folder / "audio" / "tone.alaw", STREAM_PACKETS * 160)
        config = {
            "sip": {"listen": f"127.0.0.1:{self.sip_port}", "realm": "hotline",
                    "tcp": self.options.transport == "tcp"},
            "media": {"rtp_address": "127.0.0.1", "rtp_ports": list(self.rtp_ports),
                      "audio_root": ".", "cache": "cache", "recordings": "recordings",
                      "music_on_hold": "audio/hold.wav"},
            "phones": [{"agent": a, "user": a, "password": f"pw-{a}"} for a in agents],
            # A phone the host could not ring (say, out of RTP ports) must not take its agent
            # out of the run: no not-ready after misses.
            "engine": {"queues": [{"id": "load", "strategy": "longest_idle",
                                   "offer_timeout_seconds": 20, "wrap_up_seconds": 0,
                                   "max_no_answer": 0, "members": agents}],
                       "agents": [{"id": a} for a in agents]},
            "flow_files": ["load_flow.json", "held_flow.json"],
            "routes": [{"dialled": FLOW_NUMBER, "flow": "load"},
                       {"dialled": HELD_NUMBER, "flow": "held"}],
            "store": {"backend": "sqlite", "path": "store.db"},
            "stats_file": "stats.json",
            "events_log": "events.jsonl",
        }
        path = self.folder / "center.json"
        path.write_text(json.dumps(config))
        return path

    def start_host(self) -> subprocess.Popen:
        config = self.write_config()
        stderr = open(self.folder / "host.stderr", "wb")
        host = subprocess.Popen([self.options.host, str(config), "--log-level", "warn"],
                                cwd=self.folder, stdout=subprocess.DEVNULL, stderr=stderr)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if host.poll() is not None:
                raise SystemExit(f"hotline-sip exited with {host.returncode} at start: "
                                 f"{(self.folder / 'host.stderr').read_text()[-2000:]}")
            if sip_wire.options_status(self.sip_port, 0.3) == 200:
                return host
        raise SystemExit("hotline-sip did not answer OPTIONS within 30 s")

    def stats(self) -> dict:
        try:
            return json.loads((self.folder / "stats.json").read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return {}

    def counter(self, name: str) -> int:
        return sum(numbers_named(self.stats(), name))

    def answered(self) -> int:
        return int(self.stats().get("engine", {}).get("queues", {}).get("load", {})
                   .get("answered", 0))

    # --- SIPp -----------------------------------------------------------------------------

    def scenario(self, template: str, **values: str) -> str:
        text = (TEMPLATES / template).read_text()
        for key, value in values.items():
            text = text.replace("{{" + key + "}}", value)
        path = self.folder / template.replace(".template", "")
        path.write_text(text)
        return str(path)

    def sipp(self, name: str, scenario: str, calls: int, extra: list[str], *,
             answering: bool = False, seconds: float = 120) -> Sipp:
        """Callers send to the host; the answering SIPp listens where the agents registered."""
        # Traces of every message would cost more than the calls: errors and stats only.
        return Sipp(self.folder, name, scenario, calls=calls,
                    remote_port=None if answering else self.sip_port,
                    port=self.phones_port if answering else None, timeout_seconds=int(seconds),
                    extra=extra + self.transport_options(), trace_logs=False)

    def transport_options(self) -> list[str]:
        return ["-t", "t1"] if self.options.transport == "tcp" else []

    def wait_sipp(self, process: Sipp, within: float | None = None) -> tuple[int, int, int]:
        """(exit code, successful, failed), with the process's CPU time added to sipp_cpu.
        A SIPp still running after `within` seconds (else its own timeout) is killed."""
        assert process.process is not None
        deadline = time.monotonic() + (within if within is not None
                                       else process.timeout_seconds + 30)
        while True:
            pid, status, usage = os.wait4(process.process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.process.kill()
            self.sample()
            time.sleep(0.5)
        process.process.returncode = os.waitstatus_to_exitcode(status)
        self.sipp_cpu += usage.ru_utime + usage.ru_stime
        successful, failed = final_counts(process.stat_file)
        return process.process.returncode, successful, failed

    def sample(self) -> None:
        stats = self.stats()
        if stats:
            self.samples.append(stats)

    def register_agents(self) -> None:
        rows = [[f"agent{i:05d}", f"[authentication username=agent{i:05d} "
                 f"password=pw-agent{i:05d}]", str(self.phones_port), "3600"]
                for i in range(self.agents)]
        # The phones' contact names the transport, so the host rings them over it.
        contact = "Contact: <sip:[field0]@[local_ip]:[field2]>"
        text = (SCENARIOS / "register.xml").read_text()
        assert contact in text
        scenario = self.folder / "register.xml"
        scenario.write_text(text.replace(
            contact, contact[:-1] + f";transport={self.options.transport}>"))
        register = Sipp(self.folder, "register", str(scenario), calls=len(rows),
                        remote_port=self.sip_port, injection=rows, timeout_seconds=120,
                        extra=["-r", "200", "-l", "100"] + self.transport_options(),
                        trace_logs=False)
        code, successful, _ = self.wait_sipp(register.start())
        if code != 0 or successful != len(rows):
            raise SystemExit(f"registering {len(rows)} agents: sipp exit {code}, "
                             f"{successful} registered")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            queue = self.stats().get("engine", {}).get("queues", {}).get("load", {})
            if queue.get("agents_available") == self.agents:
                return
            time.sleep(0.5)
        raise SystemExit(f"{self.agents} agents registered, not all available")

    # --- the runs -------------------------------------------------------------------------

    def rate_run(self) -> dict:
        phones = self.sipp("phones-rate", self.scenario("load_agent.template.xml", PLAYS="",
                                                        SDP_PORT="[media_port]"),
                           calls=self.rate_calls, extra=[], answering=True,
                           seconds=self.options.seconds + 90).start()
        answered_before = self.answered()
        scenario = self.scenario("load_caller.template.xml", KEYS=KEY_ONE, PLAYS="",
                                 SDP_PORT="[media_port]", BRIDGE_MS="500", TALK_MS="1000")
        callers = self.sipp(
            "callers-rate", scenario, calls=self.rate_calls, seconds=self.options.seconds + 90,
            extra=["-s", FLOW_NUMBER, "-r", str(self.options.rate), "-l",
                   str(self.agents - 10), "-key", "caller", "5550100"])
        started = time.monotonic()
        code, successful, failed = self.wait_sipp(callers.start())
        # Every caller has hung up: the phones' last BYE is only moments away.
        phones_code, _, _ = self.wait_sipp(phones, within=30)
        answered = self.answered() - answered_before
        launch_seconds = _launch_seconds(callers.stat_file, self.rate_calls) or \
            (time.monotonic() - started)
        succeeded = min(successful, answered)
        return {"attempted": self.rate_calls, "succeeded": succeeded,
                "setups_per_second": round(succeeded / launch_seconds, 1),
                "sipp_exit": [code, phones_code]}

    def concurrency_run(self) -> dict:
        calls = self.options.calls
        loops = max(1, math.ceil(self.options.hold_seconds))
        tone = self.folder / "audio" / "tone.alaw"
        # The stream runs on SIPp's own threads; the scenario waits it out, and a little more.
        play = (f'  <nop><action><exec rtp_stream="{tone},{loops},8"/></action></nop>\n'
                f'  <pause milliseconds="{loops * 1000 + 1000}"/>\n')
        # The agent's phone talks once the host has had a moment to bridge the legs: a packet
        # sent before the bridge has nowhere to go and would read as loss.
        settle = '  <pause milliseconds="250"/>\n'
        stream_options = ["-rtp_threadtasks", "100"]
        phones = self.sipp("phones-held", self.scenario("load_agent.template.xml",
                                                        PLAYS=settle + play,
                                                        SDP_PORT="[rtpstream_audio_port]"),
                           calls=calls, extra=stream_options, answering=True,
                           seconds=self.options.hold_seconds + 120).start()
        relayed_before = self.counter("packets_relayed")
        answered_before = self.answered()
        # Callers arrive at up to 100/s; each talks only once its agent has answered.
        scenario = self.scenario("load_caller.template.xml", KEYS="", PLAYS=play,
                                 SDP_PORT="[rtpstream_audio_port]", BRIDGE_MS="2000",
                                 TALK_MS="500")
        callers = self.sipp(
            "callers-held", scenario, calls=calls, seconds=self.options.hold_seconds + 120,
            extra=["-s", HELD_NUMBER, "-r", "100", "-l", str(calls), "-key", "caller",
                   "5550200"] + stream_options)
        code, successful, failed = self.wait_sipp(callers.start())
        phones_code, _, _ = self.wait_sipp(phones, within=30)
        time.sleep(1.5)  # the host's next stats write
        relayed = self.counter("packets_relayed") - relayed_before
        answered = self.answered() - answered_before
        expected = 2 * calls * loops * STREAM_PACKETS
        peak = max((s.get("engine", {}).get("live_calls", 0) for s in self.samples), default=0)
        return {"attempted": calls, "succeeded": min(successful, answered),
                "peak_concurrent_calls": peak, "rtp_packets_relayed": relayed,
                "rtp_packets_expected": expected,
                "rtp_loss_ratio": round(max(0.0, 1 - relayed / expected), 6),
                "sipp_exit": [code, phones_code]}

    def run(self) -> dict:
        host = self.start_host()
        try:
            self.register_agents()
            rate = self.rate_run()
            self.samples.clear()
            held = self.concurrency_run()
        finally:
            if host.poll() is None:
                host.send_signal(signal.SIGTERM)
            _, status, usage = os.wait4(host.pid, 0)
            host.returncode = os.waitstatus_to_exitcode(status)
        attempted = rate["attempted"] + held["attempted"]
        succeeded = rate["succeeded"] + held["succeeded"]
        return {
            "calls_attempted": attempted,
            "calls_succeeded": succeeded,
            "calls_failed": attempted - succeeded,
            "setups_per_second": rate["setups_per_second"],
            "peak_concurrent_calls": held["peak_concurrent_calls"],
            "rtp_packets_relayed": held["rtp_packets_relayed"],
            "rtp_packets_expected": held["rtp_packets_expected"],
            "rtp_loss_ratio": held["rtp_loss_ratio"],
            "rss_mb": round(usage.ru_maxrss / 1024, 1),
            "host_cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
            "sipp_cpu_seconds": round(self.sipp_cpu, 2),
            "host_exit": host.returncode,
            "sip_transport": self.options.transport,
            "rate_run": {"calls_per_second": self.options.rate, "seconds": self.options.seconds},
            "concurrency_run": {"calls": self.options.calls,
                                "hold_seconds": self.options.hold_seconds},
        }


def write_alaw_tone(path: Path, samples: int, hertz: float = 440.0) -> None:
    """A headerless A-law tone, what SIPp's RTP stream sends as it is, 160 bytes a packet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(_alaw(round(8000 * math.sin(2 * math.pi * hertz * i / 8000)))
                           for i in range(samples)))


def _alaw(sample: int) -> int:
    """ITU-T G.711 A-law of one 16-bit sample."""
    sign = 0x80 if sample >= 0 else 0x00
    magnitude = min((sample if sample >= 0 else ~sample) >> 3, 0xFFF)  # 13-bit magnitude
    if magnitude < 32:
        code = magnitude >> 1
    else:
        exponent = magnitude.bit_length() - 5
        code = (exponent << 4) | ((magnitude >> exponent) & 0x0F)
    return (code | sign) ^ 0x55


def _launch_seconds(stat_file: Path, calls: int) -> float | None:
    """Seconds SIPp took from its first call to its last (its -trace_stat rows come one a
    second, so the window counts whole seconds, at least one)."""
    rows = list(csv.reader(stat_file.read_text().splitlines(), delimiter=";")) \
        if stat_file.exists() else []
    if len(rows) < 2:
        return None
    column = {name: i for i, name in enumerate(rows[0])}

    def elapsed(row: list[str]) -> float:
        hours, minutes, seconds = row[column["ElapsedTime(C)"]].split(":")[:3]
        return int(hours) * 3600 + int(minutes) * 60 + float(seconds)

    started = [row for row in rows[1:] if int(row[column["OutgoingCall(C)"]]) > 0]
    complete = [row for row in started if int(row[column["OutgoingCall(C)"]]) >= calls]
    if not started or not complete:
        return None
    return max(1.0, elapsed(complete[0]) - elapsed(started[0]) + 1)

if __name__ == "__main__":
    sys.exit(main())
