"""SIPp instances (callers, agents' phones, registrations) started from a test's scenarios."""
import csv
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .ports import free_port_range, free_udp_port

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
PCAPS = Path("/usr/share/sip-tester")


@dataclass
class Outcome:
    name: str
    exit_code: int
    successful: int
    failed: int
    errors: str

    def describe(self) -> str:
        return (f"sipp {self.name}: exit {self.exit_code}, {self.successful} successful, "
                f"{self.failed} failed\n{self.errors}")


class Sipp:
    """One SIPp process. `scenario` is a file in scenarios/ or a path; `keys` become [name]
    keywords in it (SIPp's -key)."""

    def __init__(self, folder: Path, name: str, scenario: str, *, calls: int = 1,
                 remote_port: int | None = None, keys: dict[str, str] | None = None,
                 injection: list[list[str]] | None = None, extra: list[str] | None = None,
                 timeout_seconds: int = 60, port: int | None = None,
                 trace_logs: bool = True) -> None:
        self.folder = folder
        self.name = name
        self.port = port or free_udp_port()
        # SIPp binds audio RTP and RTCP, then video RTP and RTCP, from this port up.
        self.media_port = free_port_range(4)[0]
        self.timeout_seconds = timeout_seconds
        prefix = folder / name
        self.stat_file = prefix.with_suffix(".stat.csv")
        self.error_file = prefix.with_suffix(".errors.log")
        self.log_file = prefix.with_suffix(".log")
        self.command = [
            "sipp", "-sf", str(SCENARIOS / scenario), "-i", "127.0.0.1", "-p", str(self.port),
            "-mi", "127.0.0.1", "-mp", str(self.media_port), "-m", str(calls), "-nostdin",
            "-timeout", f"{timeout_seconds}s", "-timeout_error", "-recv_timeout", "30000",
            "-trace_err", "-error_file", str(self.error_file),
            "-trace_stat", "-stf", str(self.stat_file), "-fd", "1",
        ]
        if trace_logs:
            self.command += ["-trace_logs", "-log_file", str(self.log_file)]
        for key, value in (keys or {}).items():
            self.command += ["-key", key, value]
        if injection is not None:
            injection_file = prefix.with_suffix(".csv")
            with open(injection_file, "w", newline="") as out:
                out.write("SEQUENTIAL\n")
                csv.writer(out, delimiter=";", lineterminator="\n").writerows(injection)
            self.command += ["-inf", str(injection_file)]
        self.command += extra or []
        if remote_port is not None:
            self.command.append(f"127.0.0.1:{remote_port}")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> "Sipp":
        self.process = subprocess.Popen(self.command, cwd=self.folder, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL,
                                        stderr=open(self.folder / f"{self.name}.stderr", "wb"))
        return self

    def wait(self, within: float | None = None) -> Outcome:
        """Waits for the end (at most `within` seconds, else SIPp's own timeout); a SIPp
        still running then is killed and reported so."""
        assert self.process is not None
        killed = ""
        try:
            code = self.process.wait(within if within is not None else self.timeout_seconds + 15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
            killed = f"still running after {within} s: killed\n"
        outcome = self.outcome(code)
        outcome.errors = killed + outcome.errors
        return outcome

    def run(self) -> Outcome:
        return self.start().wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def logged(self, prefix: str) -> list[str]:
        """Values the scenario wrote with <log message="prefix=..."/> (SIPp's -trace_logs)."""
        if not self.log_file.exists():
            return []
        return [line.split(prefix + "=", 1)[1].strip()
                for line in self.log_file.read_text(errors="replace").splitlines()
                if prefix + "=" in line]

    def wait_logged(self, prefix: str, seconds: float = 30.0) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            values = self.logged(prefix)
            if values:
                return values[0]
            time.sleep(0.1)
        raise AssertionError(f"sipp {self.name} never logged {prefix}")

    def outcome(self, code: int) -> Outcome:
        successful, failed = final_counts(self.stat_file)
        errors = ""
        for path in (self.error_file, self.folder / f"{self.name}.stderr"):
            if path.exists():
                errors += path.read_text(errors="replace")[-3000:]
        return Outcome(self.name, code, successful, failed, errors)


def final_counts(stat_file: Path) -> tuple[int, int]:
    """SuccessfulCall(C) and FailedCall(C) of the last row of SIPp's -trace_stat file."""
    if not stat_file.exists():
        return 0, 0
    rows = list(csv.reader(stat_file.read_text(errors="replace").splitlines(), delimiter=";"))
    if len(rows) < 2:
        return 0, 0
    header, last = rows[0], rows[-1]
    column = {name: i for i, name in enumerate(header)}
    return int(last[column["SuccessfulCall(C)"]]), int(last[column["FailedCall(C)"]])


def register(folder: Path, host_port: int, phones: list[tuple[str, str, int]], *,
             expires: int = 3600, scenario: str = "register.xml", name: str = "register"
             ) -> Outcome:
    """Registers each (user, password, contact port) with digest authentication."""
    rows = [[user, f"[authentication username={user} password={password}]", str(port),
             str(expires)] for user, password, port in phones]
    return Sipp(folder, name, scenario, calls=len(rows), remote_port=host_port,
                injection=rows, timeout_seconds=30).run()
