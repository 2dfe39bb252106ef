"""A small SIP phone in Python for the call-control tests: it registers with digest
authentication, answers or places calls, puts them on hold by re-INVITE, and on its RTP port
sends one steady tone while keeping everything it receives, so a test can tell whose tone
reached whom (Goertzel power per frequency on the decoded G.711).

SIPp plays pcaps and cannot say what it heard; this phone can. It speaks only what the tests
need: UDP, PCMU, one call and at most one consultation (a second call placed while the first is
held), REFER (blind, or attended with Replaces) and the NOTIFYs that answer it, and keys by
SIP INFO or as RFC 4733 events in its RTP.
"""
import math
import queue
import re
import secrets
import socket
import struct
import threading
import time
from urllib.parse import quote

from . import sip_wire

FRAME = 160  # 20 ms at 8 kHz
TELEPHONE_EVENT = 101  # the payload type the phone offers for RFC 4733 keys
EVENT_CODES = {**{str(d): d for d in range(10)}, "*": 10, "#": 11}


def _ulaw_decode_table() -> list[int]:
    table = []
    for byte in range(256):
        u = ~byte & 0xFF
        sign = u & 0x80
        exponent = (u >> 4) & 0x07
        mantissa = u & 0x0F
        magnitude = ((mantissa << 3) + 0x84) << exponent
        table.append(-(magnitude - 0x84) if sign else magnitude - 0x84)
    return table


ULAW_DECODE = _ulaw_decode_table()


def ulaw_encode(sample: int) -> int:
    sign = 0x80 if sample < 0 else 0
    magnitude = min(abs(sample), 32635) + 0x84
    exponent = 7
    for bit in range(7, -1, -1):
        if magnitude & (0x80 << bit):
            exponent = bit
            break
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def tone_power(samples: list[int], hertz: float) -> float:
    """Goertzel: the power of one frequency, normalised per sample squared."""
    if not samples:
        return 0.0
    coefficient = 2 * math.cos(2 * math.pi * hertz / 8000)
    previous = before = 0.0
    for sample in samples:
        previous, before = sample + coefficient * previous - before, previous
    power = previous * previous + before * before - coefficient * previous * before
    return power / (len(samples) * len(samples))


class Message:
    def __init__(self, data: bytes) -> None:
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode(errors="replace").split("\r\n")
        self.first = lines[0]
        self.headers: list[tuple[str, str]] = []
        for line in lines[1:]:
            name, _, value = line.partition(":")
            self.headers.append((name.strip().lower(), value.strip()))
        self.body = body.decode(errors="replace")
        parts = self.first.split(" ")
        self.is_response = parts[0] == "SIP/2.0"
        self.status = int(parts[1]) if self.is_response else 0
        self.method = parts[0] if not self.is_response else self.cseq_method()

    def header(self, name: str) -> str:
        return next((v for n, v in self.headers if n == name.lower()), "")

    def all(self, name: str) -> list[str]:
        return [v for n, v in self.headers if n == name.lower()]

    def cseq_method(self) -> str:
        return self.header("cseq").split(" ")[-1]


class Softphone:
    def __init__(self, user: str, password: str, host_port: int, tone_hertz: float) -> None:
        self.user = user
        self.password = password
        self.host_port = host_port
        self.tone_hertz = tone_hertz
        self.sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sip.bind(("127.0.0.1", 0))
        self.port = self.sip.getsockname()[1]
        self.rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rtp.bind(("127.0.0.1", 0))
        self.rtp_port = self.rtp.getsockname()[1]
        self.rtp.settimeout(0.05)
        self.incoming: "queue.Queue[Message]" = queue.Queue()
        self.responses: "queue.Queue[Message]" = queue.Queue()
        self.received: list[tuple[float, list[int]]] = []  # (arrival, samples)
        self.lock = threading.Lock()
        self.remote_rtp: tuple[str, int] | None = None
        self.sending = False
        self.running = True
        self.dialog: dict[str, str] = {}
        self.consultation: dict[str, str] = {}  # the second call, placed while the first holds
        self.call_rtp: tuple[str, int] | None = None  # the first call's media, while consulting
        self.cseq = 1
        self.byes = 0
        self.bye_call_ids: list[str] = []
        self.notifies: list[Message] = []  # NOTIFYs received (a REFER's progress), in order
        self.keys_to_send: "queue.Queue[str]" = queue.Queue()  # RFC 4733, in the RTP stream
        self.threads = [threading.Thread(target=self._sip_loop, daemon=True),
                        threading.Thread(target=self._rtp_receive, daemon=True),
                        threading.Thread(target=self._rtp_send, daemon=True)]
        for thread in self.threads:
            thread.start()

    # ---------------------------------------------------------------- SIP plumbing
    def _send(self, text: str) -> None:
        self.sip.sendto(text.encode(), ("127.0.0.1", self.host_port))

    def _sip_loop(self) -> None:
        self.sip.settimeout(0.1)
        while self.running:
            try:
                data, _ = self.sip.recvfrom(65535)
            except (socket.timeout, OSError):
                continue
            message = Message(data)
            if message.is_response:
                self.responses.put(message)
            elif message.method == "BYE":
                self.byes += 1
                self.bye_call_ids.append(message.header("call-id"))
                if message.header("call-id") == self.consultation.get("call_id"):
                    self._back_from_consultation()
                elif message.header("call-id") == self.dialog.get("call_id"):
                    self.dialog = {}
                if not self.dialog and not self.consultation:
                    self.sending = False
                self._reply(message, 200, "OK")
            elif message.method == "NOTIFY":
                with self.lock:
                    self.notifies.append(message)
                self._reply(message, 200, "OK")
            elif message.method == "ACK":
                continue
            elif message.method == "INVITE" and self.dialog and \
                    message.header("call-id") == self.dialog.get("call_id"):
                self._answer_offer(message)  # a re-INVITE from the host
            else:
                self.incoming.put(message)

    def _reply(self, request: Message, code: int, reason: str, extra: str = "",
               body: str = "", to_tag: str = "") -> None:
        to = request.header("to")
        if to_tag and ";tag=" not in to:
            to += f";tag={to_tag}"
        vias = "".join(f"Via: {v}\r\n" for v in request.all("via"))
        content = f"Content-Type: application/sdp\r\n" if body else ""
        self._send(f"SIP/2.0 {code} {reason}\r\n{vias}From: {request.header('from')}\r\n"
                   f"To: {to}\r\nCall-ID: {request.header('call-id')}\r\n"
                   f"CSeq: {request.header('cseq')}\r\n{extra}{content}"
                   f"Content-Length: {len(body.encode())}\r\n\r\n{body}")

    def _response(self, method: str, seconds: float = 10) -> Message:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                message = self.responses.get(timeout=0.1)
            except queue.Empty:
                continue
            if message.cseq_method() == method and message.status >= 200:
                return message
        raise AssertionError(f"{self.user}: no final response to {method}")

    def _request(self, method: str, uri: str, to: str, call_id: str, cseq: int,
                 extra: str = "", body: str = "", from_tag: str = "",
                 raw_body: str = "") -> None:
        """`body` is SDP; `raw_body` is sent as it is, its type among `extra`'s headers."""
        content = "Content-Type: application/sdp\r\n" if body else ""
        body = body or raw_body
        self._send(
            f"{method} {uri} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch=z9hG4bK{secrets.token_hex(6)}\r\n"
            f"From: <sip:{self.user}@127.0.0.1>;tag={from_tag or self.user}\r\n"
            f"To: {to}\r\nCall-ID: {call_id}\r\nCSeq: {cseq} {method}\r\n"
            f"Contact: <sip:{self.user}@127.0.0.1:{self.port}>\r\nMax-Forwards: 70\r\n"
            f"{extra}{content}Content-Length: {len(body.encode())}\r\n\r\n{body}")

    def sdp(self, direction: str = "sendrecv", address: str = "127.0.0.1") -> str:
        return ("v=0\r\n"
                f"o={self.user} 1 {self.cseq} IN IP4 127.0.0.1\r\n"
                "s=-\r\n"
                f"c=IN IP4 {address}\r\n"
                "t=0 0\r\n"
                f"m=audio {self.rtp_port} RTP/AVP 0 {TELEPHONE_EVENT}\r\n"
                "a=rtpmap:0 PCMU/8000\r\n"
                f"a=rtpmap:{TELEPHONE_EVENT} telephone-event/8000\r\n"
                f"a=fmtp:{TELEPHONE_EVENT} 0-15\r\n"
                f"a={direction}\r\n")

    def _take_sdp(self, body: str) -> None:
        address = re.search(r"c=IN IP4 (\S+)", body)
        port = re.search(r"m=audio (\d+)", body)
        if address and port:
            self.remote_rtp = (address.group(1), int(port.group(1)))

    # ---------------------------------------------------------------- what a test does
    def register(self) -> None:
        call_id = secrets.token_hex(8)
        uri = f"sip:127.0.0.1:{self.host_port}"
        to = f"<sip:{self.user}@127.0.0.1>"
        extra = f"Expires: 3600\r\n"
        self._request("REGISTER", uri, to, call_id, 1, extra)
        challenge = self._response("REGISTER")
        assert challenge.status == 401, challenge.first
        authorization = sip_wire.digest_authorization(
            self.user, self.password, challenge.header("www-authenticate"), "REGISTER", uri)
        self._request("REGISTER", uri, to, call_id, 2, extra + authorization)
        final = self._response("REGISTER")
        assert final.status == 200, final.first

    def answer(self, seconds: float = 20) -> Message:
        """Waits for the host's INVITE and answers it with 200 and SDP."""
        invite = self.incoming.get(timeout=seconds)
        assert invite.method == "INVITE", invite.first
        tag = secrets.token_hex(4)
        self.dialog = {"call_id": invite.header("call-id"), "tag": tag,
                       "remote": invite.header("from"), "local": invite.header("to"),
                       "contact": re.search(r"<([^>]*)>", invite.header("contact")).group(1),
                       "from_tag": tag}
        self._take_sdp(invite.body)
        self._reply(invite, 200, "OK", f"Contact: <sip:{self.user}@127.0.0.1:{self.port}>\r\n",
                    self.sdp(), to_tag=tag)
        self.sending = True
        return invite

    def _answer_offer(self, invite: Message) -> None:
        self._take_sdp(invite.body)
        self._reply(invite, 200, "OK", f"Contact: <sip:{self.user}@127.0.0.1:{self.port}>\r\n",
                    self.sdp(), to_tag=self.dialog["tag"])

    def call(self, number: str) -> Message:
        """INVITEs the host's `number`; returns the final response (ACKed when 2xx)."""
        call_id = secrets.token_hex(8)
        tag = secrets.token_hex(4)
        uri = f"sip:{number}@127.0.0.1:{self.host_port}"
        to = f"<sip:{number}@127.0.0.1>"
        self.cseq = 1
        self._request("INVITE", uri, to, call_id, 1, body=self.sdp(), from_tag=tag)
        final = self._response("INVITE")
        if final.status >= 300:
            self._request("ACK", uri, final.header("to"), call_id, 1, from_tag=tag)
            return final
        self.dialog = {"call_id": call_id, "tag": tag, "remote": final.header("to"),
                       "contact": re.search(r"<([^>]*)>", final.header("contact")).group(1),
                       "from_tag": tag}
        self._take_sdp(final.body)
        self._request("ACK", self.dialog["contact"], final.header("to"), call_id, 1,
                      from_tag=tag)
        self.sending = True
        return final

    def _in_dialog(self, method: str, body: str = "", extra: str = "",
                   dialog: dict[str, str] | None = None) -> Message:
        self.cseq += 1
        d = dialog if dialog is not None else self.dialog
        self._request(method, d["contact"], d["remote"], d["call_id"], self.cseq, extra,
                      body=body, from_tag=d["from_tag"])
        final = self._response(method)
        if method == "INVITE":
            self._request("ACK", d["contact"], d["remote"], d["call_id"], self.cseq,
                          from_tag=d["from_tag"])
        return final

    def reinvite(self, direction: str, address: str = "127.0.0.1") -> Message:
        """Holds (sendonly, inactive, or the old address 0.0.0.0) or resumes (sendrecv)
        with a re-INVITE."""
        final = self._in_dialog("INVITE", self.sdp(direction, address))
        assert final.status == 200, final.first
        return final

    def press(self, key: str, dialog: dict[str, str] | None = None) -> int:
        """Sends a key by SIP INFO (application/dtmf-relay) in the call's dialog (or the one
        given); the final status."""
        self.cseq += 1
        d = dialog if dialog is not None else self.dialog
        body = f"Signal={key}\r\nDuration=160\r\n"
        self._request("INFO", d["contact"], d["remote"], d["call_id"], self.cseq,
                      "Content-Type: application/dtmf-relay\r\n", from_tag=d["from_tag"],
                      raw_body=body)
        return self._response("INFO").status

    def press_keys(self, keys: str, dialog: dict[str, str] | None = None) -> None:
        for key in keys:
            assert self.press(key, dialog) == 200

    def refer(self, target: str, replaces: dict[str, str] | None = None) -> Message:
        """Sends REFER in the call's dialog: Refer-To the host's `target`, with Replaces naming
        the `replaces` dialog (an attended transfer); the final response."""
        uri = f"sip:{target}@127.0.0.1:{self.host_port}"
        if replaces:
            remote_tag = re.search(r";tag=([^;>\s]+)", replaces["remote"]).group(1)
            value = (f"{replaces['call_id']};to-tag={remote_tag};"
                     f"from-tag={replaces['from_tag']}")
            uri += "?Replaces=" + quote(value, safe="")
        extra = f"Refer-To: <{uri}>\r\nReferred-By: <sip:{self.user}@127.0.0.1>\r\n"
        return self._in_dialog("REFER", extra=extra)

    def notify_bodies(self) -> list[str]:
        """The sipfrag status lines of the NOTIFYs received, in order."""
        with self.lock:
            return [n.body.strip() for n in self.notifies]

    def consult(self, number: str, seconds: float = 10) -> Message:
        """Places a second call (the first held) to the host's `number`: the consultation.
        Returns the final response; on 200 the phone's audio goes to the consultation."""
        call_id = secrets.token_hex(8)
        tag = secrets.token_hex(4)
        uri = f"sip:{number}@127.0.0.1:{self.host_port}"
        to = f"<sip:{number}@127.0.0.1>"
        self.cseq += 1
        cseq = self.cseq
        self._request("INVITE", uri, to, call_id, cseq, body=self.sdp(), from_tag=tag)
        final = self._response("INVITE", seconds)
        if final.status >= 300:
            self._request("ACK", uri, final.header("to"), call_id, cseq, from_tag=tag)
            return final
        self.call_rtp = self.remote_rtp
        self.consultation = {"call_id": call_id, "tag": tag, "remote": final.header("to"),
                             "contact": re.search(r"<([^>]*)>",
                                                  final.header("contact")).group(1),
                             "from_tag": tag}
        self._take_sdp(final.body)
        self._request("ACK", self.consultation["contact"], final.header("to"), call_id, cseq,
                      from_tag=tag)
        self.sending = True
        return final

    def _back_from_consultation(self) -> None:
        """Each call has its media: the phone's audio goes to the first call's again."""
        self.consultation = {}
        if self.call_rtp is not None:
            self.remote_rtp = self.call_rtp
            self.call_rtp = None

    def hang_up_consultation(self) -> None:
        if self.consultation:
            self._in_dialog("BYE", dialog=self.consultation)
            self._back_from_consultation()

    def hang_up(self) -> None:
        self.sending = False
        if self.dialog:
            self._in_dialog("BYE")
            self.dialog = {}

    # ---------------------------------------------------------------- RTP
    def _rtp_send(self) -> None:
        sequence, timestamp, phase = 0, 0, 0
        ssrc = secrets.randbits(32)
        step = 2 * math.pi * self.tone_hertz / 8000
        next_time = time.monotonic()
        while self.running:
            next_time += 0.02
            delay = next_time - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if not self.sending or self.remote_rtp is None:
                continue
            if not self.keys_to_send.empty():
                sequence = self._send_key(self.keys_to_send.get(), sequence, timestamp, ssrc)
                timestamp += 8 * FRAME
                next_time = time.monotonic()
                continue
            payload = bytes(ulaw_encode(int(8000 * math.sin(step * (phase + i))))
                            for i in range(FRAME))
            phase += FRAME
            header = struct.pack("!BBHII", 0x80, 0, sequence & 0xFFFF, timestamp & 0xFFFFFFFF,
                                 ssrc)
            try:
                self.rtp.sendto(header + payload, self.remote_rtp)
            except OSError:
                pass
            sequence += 1
            timestamp += FRAME

    def _send_key(self, key: str, sequence: int, timestamp: int, ssrc: int) -> int:
        """One RFC 4733 event, 100 ms long, in the RTP stream: updates every 20 ms, then the
        end three times (as RFC 4733 section 2.5.1.4 advises); returns the next sequence."""
        packets = [(False, FRAME * n) for n in range(1, 6)] + [(True, FRAME * 5)] * 3
        for index, (end, duration) in enumerate(packets):
            marker = 0x80 if index == 0 else 0
            header = struct.pack("!BBHII", 0x80, marker | TELEPHONE_EVENT, sequence & 0xFFFF,
                                 timestamp & 0xFFFFFFFF, ssrc)
            payload = struct.pack("!BBH", EVENT_CODES[key], (0x80 if end else 0) | 10, duration)
            try:
                self.rtp.sendto(header + payload, self.remote_rtp)
            except OSError:
                pass
            sequence += 1
            time.sleep(0.02)
        return sequence

    def send_keys(self, keys: str) -> None:
        """Sends keys as RFC 4733 events on the phone's media (where its audio goes)."""
        for key in keys:
            self.keys_to_send.put(key)
        while not self.keys_to_send.empty():
            time.sleep(0.05)
        time.sleep(0.2)

    def _rtp_receive(self) -> None:
        while self.running:
            try:
                data = self.rtp.recv(2048)
            except (socket.timeout, OSError):
                continue
            if len(data) < 12 or (data[1] & 0x7F) not in (0,):
                continue
            samples = [ULAW_DECODE[b] for b in data[12:]]
            with self.lock:
                self.received.append((time.monotonic(), samples))

    def heard_since(self, since: float) -> list[int]:
        with self.lock:
            return [s for arrival, frame in self.received if arrival >= since for s in frame]

    def hears(self, hertz: float, since: float) -> float:
        return tone_power(self.heard_since(since), hertz)

    def close(self) -> None:
        self.running = False
        self.sending = False
        for thread in self.threads:
            thread.join(timeout=1)
        self.sip.close()
        self.rtp.close()
