"""The configuration a test gives hotline-sip: the bank flow over SIP, its queues and phones.

Every path in it is relative to the test's own folder; each test gets fresh ports, a fresh
SQLite file and its own audio, cache and recordings folders. The key names follow
docs/sip-host.md.
"""
import json
from dataclasses import dataclass, field
from pathlib import Path

from . import audio
from .ports import free_port_range, free_udp_port

REPO = Path(__file__).resolve().parents[3]
BANK_FLOW = REPO / "examples" / "flows" / "bank.json"
BANK_NUMBER = "1000"
QUEUE_NUMBER = "2000"  # straight to the retail queue, no IVR

ALWAYS_OPEN = {"time_zone": "UTC", "weekly": {
    day: [["00:00", "24:00"]] for day in ("sun", "mon", "tue", "wed", "thu", "fri", "sat")}}
ALWAYS_CLOSED = {"time_zone": "UTC", "weekly": {}}


@dataclass
class Phone:
    """An agent's SIP account: the host knows `password`; the phone may present another."""
    agent: str
    password: str
    position: int = 0
    role: str = "agent"  # "supervisor": not a queue member, may monitor, whisper and barge


@dataclass
class Center:
    folder: Path
    phones: list[Phone] = field(default_factory=list)
    open_now: bool = True
    offer_timeout_seconds: float = 15
    max_no_answer: int = 3
    registration_max_seconds: int = 3600
    max_message_bytes: int = 8192
    strategy: str = "linear"
    recording: str = ""  # the queues' recording policy ("all", "none", "on_demand"); "": unset
    trunk: str = ""  # $.sip.trunk: where numbers go ("": none)
    tcp: bool = False  # $.sip.tcp: also listen on TCP at the SIP port
    # The queues' agent-number announcement (prompts before the bridge); []: none.
    announce_agent: list[str] = field(default_factory=list)
    sip_port: int = 0
    rtp_ports: tuple[int, int] = (0, 0)

    def __post_init__(self) -> None:
        self.sip_port = free_udp_port()
        self.rtp_ports = free_port_range(64)

    @property
    def path(self) -> Path:
        return self.folder / "center.json"

    @property
    def stats_file(self) -> Path:
        return self.folder / "stats.json"

    @property
    def events_log(self) -> Path:
        return self.folder / "events.jsonl"

    @property
    def queue_log(self) -> Path:
        return self.folder / "queue_log"

    @property
    def store_file(self) -> Path:
        return self.folder / "store.db"

    @property
    def recordings(self) -> Path:
        return self.folder / "recordings"

    def document(self) -> dict:
        members = [{"agent": p.agent, "position": p.position} for p in self.phones
                   if p.role == "agent"]
        queue_common = {"strategy": self.strategy, "offer_timeout_seconds":
                        self.offer_timeout_seconds, "max_no_answer": self.max_no_answer,
                        "wrap_up_seconds": 0}
        if self.recording:
            queue_common["recording"] = self.recording
        if self.announce_agent:
            queue_common["announce_agent"] = self.announce_agent
        return {
            "sip": self.sip_settings(),
            "media": {"rtp_address": "127.0.0.1", "rtp_ports": list(self.rtp_ports),
                      "audio_root": ".", "cache": "cache", "recordings": "recordings",
                      "tts_voice": "en", "music_on_hold": "audio/hold-music.wav"},
            "phones": [{"agent": p.agent, "user": p.agent, "password": p.password}
                       for p in self.phones],
            "engine": {
                "calendars": {"bank-hours": ALWAYS_OPEN if self.open_now else ALWAYS_CLOSED},
                "queues": [dict(id="retail", members=members, **queue_common),
                           dict(id="vip", **queue_common)],
                "agents": [{"id": p.agent, "role": p.role, "number": f"10{i:02d}"}
                           for i, p in enumerate(self.phones, start=1)],
            },
            "flow_files": [str(BANK_FLOW)],
            "routes": [{"dialled": BANK_NUMBER, "flow": "bank"},
                       {"dialled": QUEUE_NUMBER, "queue": "retail"}],
            "store": {"backend": "sqlite", "path": "store.db"},
            "stats_file": "stats.json",
            "events_log": "events.jsonl",
            "queue_log": "queue_log",
        }

    def sip_settings(self) -> dict:
        settings = {"listen": f"127.0.0.1:{self.sip_port}", "realm": "hotline",
                    "registration_max_seconds": self.registration_max_seconds,
                    "max_message_bytes": self.max_message_bytes}
        if self.trunk:
            settings["trunk"] = self.trunk
        if self.tcp:
            settings["tcp"] = True
        return settings

    def write(self) -> Path:
        audio.bank_prompts(self.folder)
        self.path.write_text(json.dumps(self.document(), indent=1))
        return self.path
