"""hotline-sip as a child process: started on a test's configuration, watched, stopped."""
import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any, Callable, Iterator

from . import sip_wire
from .center import REPO, Center

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "UndefinedBehaviorSanitizer", "ThreadSanitizer")


def host_binary() -> Path:
    """HOTLINE_SIP names the binary under test; else the sanitized developer build."""
    configured = os.environ.get("HOTLINE_SIP")
    path = Path(configured) if configured else REPO / "build" / "dev" / "examples" / "sip" / \
        "hotline-sip"
    if not path.is_file():
        raise FileNotFoundError(f"hotline-sip not found at {path} (set HOTLINE_SIP)")
    return path


class Host:
    def __init__(self, center: Center) -> None:
        self.center = center
        self.stderr_path = center.folder / "host.stderr"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, ready_seconds: float = 30.0, open_files: int | None = None) -> "Host":
        """Starts the host; `open_files` caps its descriptors (soft and hard RLIMIT_NOFILE)."""
        config = self.center.write()
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:exitcode=86")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        command = [str(host_binary()), str(config)]
        if open_files is not None:
            command = ["prlimit", f"--nofile={open_files}:{open_files}", "--"] + command
        with open(self.stderr_path, "wb") as stderr:
            self.process = subprocess.Popen(command, cwd=self.center.folder,
                                            stdout=subprocess.DEVNULL, stderr=stderr)
        deadline = time.monotonic() + ready_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"hotline-sip exited with {self.process.returncode} at "
                                     f"start:\n{self.stderr_tail()}")
            if sip_wire.options_status(self.center.sip_port, 0.3) == 200:
                return self
        raise AssertionError(f"hotline-sip did not answer OPTIONS within {ready_seconds} s:\n"
                             f"{self.stderr_tail()}")

    def cpu_seconds(self) -> float:
        """The processor time (user and system) the host has used so far."""
        assert self.process is not None
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        # Fields 14 and 15 of stat(5), counted after the command's closing parenthesis.
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, seconds: float = 20.0) -> int:
        """SIGTERM, then the exit code; a sanitizer report or a hang is a failure."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(seconds)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(f"hotline-sip did not stop within {seconds} s of SIGTERM")
        return self.process.returncode

    def sanitizer_report(self) -> str | None:
        text = self.stderr_path.read_text(errors="replace") if self.stderr_path.exists() else ""
        return text if any(mark in text for mark in SANITIZER_MARKS) else None

    def stderr_tail(self, lines: int = 40) -> str:
        if not self.stderr_path.exists():
            return ""
        return "\n".join(self.stderr_path.read_text(errors="replace").splitlines()[-lines:])

    # --- what the host writes -------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        try:
            return json.loads(self.center.stats_file.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return {}  # not written yet, or caught half-way through a rewrite

    def counter(self, name: str) -> int:
        """The sum of every number named `name` anywhere in the stats document."""
        return sum(numbers_named(self.stats(), name))

    def events(self) -> list[dict[str, Any]]:
        if not self.center.events_log.exists():
            return []
        events = []
        for line in self.center.events_log.read_text(errors="replace").splitlines():
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                pass  # the line being written now
        return events

    def routing(self, event: str, **fields: Any) -> list[dict[str, Any]]:
        return [e for e in self.events() if e.get("kind") == "routing" and e.get("event") == event
                and all(e.get(k) == v for k, v in fields.items())]

    def wait_for(self, what: str, condition: Callable[[], Any], seconds: float = 20.0) -> Any:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            result = condition()
            if result:
                return result
            if not self.alive():
                raise AssertionError(f"hotline-sip died waiting for {what}:\n{self.stderr_tail()}")
            time.sleep(0.1)
        raise AssertionError(f"waited {seconds} s for {what}; events: {self.events()[-15:]}")


def numbers_named(node: Any, name: str) -> Iterator[int]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == name and isinstance(value, (int, float)) and not isinstance(value, bool):
                yield int(value)
            else:
                yield from numbers_named(value, name)
    elif isinstance(node, list):
        for value in node:
            yield from numbers_named(value, name)
