"""hotline-ops as a child process on a port of its own choosing, watched and stopped."""
import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]
CENTER = REPO / "examples" / "center" / "center.json"
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "UndefinedBehaviorSanitizer", "ThreadSanitizer")

# One token per role; agent r01 and r02 serve the retail queue of the demo center.
AGENT_R01 = "agent-r01-token-0123456789"
AGENT_R02 = "agent-r02-token-0123456789"
SUPERVISOR = "supervisor-token-0123456789"
ADMIN = "admin-token-0123456789abc"
TOKENS = [
    {"token": AGENT_R01, "role": "agent", "agent_id": "r01"},
    {"token": AGENT_R02, "role": "agent", "agent_id": "r02"},
    {"token": SUPERVISOR, "role": "supervisor"},
    {"token": ADMIN, "role": "admin"},
]


def binary(variable: str, folder: str, name: str) -> Path:
    """`variable` names the binary under test; else the sanitized developer build."""
    configured = os.environ.get(variable)
    path = Path(configured) if configured else REPO / "build" / "dev" / "examples" / folder / name
    if not path.is_file():
        raise FileNotFoundError(f"{name} not found at {path} (set {variable})")
    return path


class Response:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body)


class Server:
    """hotline-ops serving the demo center."""

    def command(self, access: Path) -> list[str]:
        store = ["--store", str(self.store)] if self.store is not None else []
        return [str(binary("HOTLINE_OPS", "ops", "hotline-ops")), str(self.center),
                "--access", str(access), "--port", "0", *store]

    def __init__(self, folder: Path, store: Path | None = None, center: Path = CENTER,
                 tokens: list[dict[str, str]] | None = None) -> None:
        """`store`: the SQLite file served with --store (None: none); `center` the
        engine's configuration; `tokens` the server's, TOKENS when None."""
        self.folder = folder
        self.store = store
        self.center = center
        self.tokens = tokens if tokens is not None else TOKENS
        self.stderr_path = folder / "ops.stderr"
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    def start(self, ready_seconds: float = 30.0) -> "Server":
        access = self.folder / "ops.json"
        access.write_text(json.dumps({"tokens": self.tokens}))
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:exitcode=86")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        with open(self.stderr_path, "wb") as stderr:
            self.process = subprocess.Popen(self.command(access), cwd=self.folder,
                                            stdout=subprocess.PIPE, stderr=stderr, env=env)
        assert self.process.stdout is not None
        deadline = time.monotonic() + ready_seconds
        line = self.process.stdout.readline().decode()
        if not line.startswith("listening on http://127.0.0.1:"):
            raise AssertionError(f"{self.command(access)[0]} did not start ({line!r}):\n{self.stderr_tail()}")
        self.port = int(line.rsplit(":", 1)[1])
        while time.monotonic() < deadline:
            try:
                self.request("GET", "/api/v1/queues")
                return self
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"hotline-ops did not answer within {ready_seconds} s")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, token: str | None = None,
                body: Any = None, raw_body: bytes | None = None,
                authorization: str | None = None) -> Response:
        data = raw_body if raw_body is not None else (
            json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if token is not None:
            request.add_header("Authorization", f"Bearer {token}")
        if authorization is not None:
            request.add_header("Authorization", authorization)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                return Response(reply.status, {k.lower(): v for k, v in reply.headers.items()},
                                reply.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, {k.lower(): v for k, v in error.headers.items()},
                            error.read())

    def set_state(self, token: str, agent: str, state: str, reason: str | None = None) -> Response:
        body: dict[str, str] = {"state": state}
        if reason is not None:
            body["reason"] = reason
        return self.request("POST", f"/api/v1/agents/{agent}/state", token, body)

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
                raise AssertionError(f"hotline-ops did not stop within {seconds} s of SIGTERM")
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.process.returncode

    def sanitizer_report(self) -> str | None:
        text = self.stderr_path.read_text(errors="replace") if self.stderr_path.exists() else ""
        return text if any(mark in text for mark in SANITIZER_MARKS) else None

    def stderr_tail(self, lines: int = 40) -> str:
        if not self.stderr_path.exists():
            return ""
        return "\n".join(self.stderr_path.read_text(errors="replace").splitlines()[-lines:])


class SimulatedDay(Server):
    """hotline-sim --serve: the demo center's day on an accelerated clock."""

    speed = 3000  # 50 simulated minutes a second: the agents' shifts begin within 10 s

    def command(self, access: Path) -> list[str]:
        store = ["--store", str(self.store)] if self.store is not None else []
        return [str(binary("HOTLINE_SIM", "sim", "hotline-sim")), str(CENTER), "--serve",
                "--access", str(access), "--port", "0", "--speed", str(self.speed), *store]
