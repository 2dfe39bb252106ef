"""One test's world: a configured host, the agents' phones, registrations and callers.

Closing it stops every SIPp and the host; the host must exit cleanly on SIGTERM with no
sanitizer report, whatever the test did to it.
"""
from pathlib import Path

from . import checks
from . import sipp as sipp_module
from .center import BANK_NUMBER, Center, Phone
from .host import Host
from .ports import free_udp_port
from .sipp import Outcome, Sipp


class Lab:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.center = Center(folder)
        self.host: Host | None = None
        self.sipps: list[Sipp] = []
        self.phone_ports: dict[str, int] = {}

    def add_phone(self, agent: str, password: str = "", position: int = 0) -> Phone:
        phone = Phone(agent, password or f"pw-{agent}", position)
        self.center.phones.append(phone)
        return phone

    @property
    def started_host(self) -> Host:
        assert self.host is not None, "start_host first"
        return self.host

    def start_host(self, open_files: int | None = None) -> Host:
        self.host = Host(self.center).start(open_files=open_files)
        return self.host

    def answer_as(self, agent: str, scenario: str, calls: int = 1) -> Sipp:
        """Starts the SIPp that plays `agent`'s phone (a UAS on a port of its own)."""
        phone = Sipp(self.folder, f"phone-{agent}", scenario, calls=calls,
                     timeout_seconds=90).start()
        self.sipps.append(phone)
        self.phone_ports[agent] = phone.port
        return phone

    def register(self, agent: str, password: str | None = None, expires: int = 3600,
                 refused: bool = False) -> Outcome:
        """Registers `agent`'s phone (its answering SIPp's port as Contact)."""
        phone = next(p for p in self.center.phones if p.agent == agent)
        contact_port = self.phone_ports.get(agent) or free_udp_port()
        assert self.host is not None
        return sipp_module.register(
            self.folder, self.center.sip_port,
            [(agent, password if password is not None else phone.password, contact_port)],
            expires=expires, scenario="register_refused.xml" if refused else "register.xml",
            name=f"register-{agent}")

    def agents_ready(self, phones: list[tuple[str, str]]) -> dict[str, Sipp]:
        """Phones for `phones` (agent, scenario), in that queue order, registered and
        available on a started host."""
        for position, (agent, _) in enumerate(phones):
            self.add_phone(agent, position=position)
        host = self.start_host()
        sipps = {agent: self.answer_as(agent, scenario) for agent, scenario in phones}
        for agent, _ in phones:
            checks.assert_completed(self.register(agent))
            checks.wait_available(host, agent)
        return sipps

    def caller(self, scenario: str, caller: str = "5550100", calls: int = 1,
               name: str = "caller") -> Sipp:
        call = Sipp(self.folder, name, scenario, calls=calls, remote_port=self.center.sip_port,
                    keys={"caller": caller}, extra=["-s", BANK_NUMBER], timeout_seconds=60)
        self.sipps.append(call.start())
        return call

    def close(self) -> None:
        for process in self.sipps:
            process.stop()
        if self.host is not None and self.host.process is not None:
            code = self.host.stop()
            report = self.host.sanitizer_report()
            assert report is None, f"hotline-sip sanitizer report:\n{report[-6000:]}"
            assert code == 0, f"hotline-sip exited with {code}:\n{self.host.stderr_tail()}"
