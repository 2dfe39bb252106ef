"""Raw SIP over UDP from Python: for what SIPp will not send (garbage, broken requests)."""
import hashlib
import re
import secrets
import socket
from typing import Callable


def options_request(host_port: int, local_port: int, call_id: str | None = None) -> bytes:
    call_id = call_id or secrets.token_hex(8)
    return (
        f"OPTIONS sip:127.0.0.1:{host_port} SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP 127.0.0.1:{local_port};branch=z9hG4bK{secrets.token_hex(6)}\r\n"
        f"From: <sip:probe@127.0.0.1:{local_port}>;tag={secrets.token_hex(4)}\r\n"
        f"To: <sip:127.0.0.1:{host_port}>\r\n"
        f"Call-ID: {call_id}\r\n"
        "CSeq: 1 OPTIONS\r\n"
        "Max-Forwards: 70\r\n"
        "Content-Length: 0\r\n\r\n").encode()


def exchange(host_port: int, payload: bytes | Callable[[int], bytes],
             wait_seconds: float = 1.0) -> list[bytes]:
    """Sends one datagram and returns every datagram that comes back within the wait.
    A callable payload is given the sending port (for the Via the reply goes to)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(wait_seconds)
        if callable(payload):
            payload = payload(sock.getsockname()[1])
        sock.sendto(payload, ("127.0.0.1", host_port))
        return received(sock)


def received(sock: socket.socket) -> list[bytes]:
    """Every datagram that reaches `sock` before its timeout passes with nothing."""
    datagrams = []
    try:
        while True:
            datagrams.append(sock.recv(65535))
    except socket.timeout:
        pass
    return datagrams


def ack_for(answer: bytes, host_port: int, local_port: int, user: str) -> bytes:
    """The ACK of `answer`, a 200 to an INVITE for `user` sent from `local_port`: the
    answer's From, To (with the host's tag), Call-ID and CSeq number."""
    cseq = header_of(answer, "CSeq").split()[0]
    lines = [f"ACK sip:{user}@127.0.0.1:{host_port} SIP/2.0",
             f"Via: SIP/2.0/UDP 127.0.0.1:{local_port};branch=z9hG4bK{secrets.token_hex(6)}",
             f"From: {header_of(answer, 'From')}", f"To: {header_of(answer, 'To')}",
             f"Call-ID: {header_of(answer, 'Call-ID')}", f"CSeq: {cseq} ACK",
             "Max-Forwards: 70", "Content-Length: 0"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def options_status(host_port: int, wait_seconds: float = 1.0) -> int | None:
    """The status code the host answers an OPTIONS with, or None when it stays silent."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(wait_seconds)
        sock.sendto(options_request(host_port, sock.getsockname()[1]), ("127.0.0.1", host_port))
        try:
            while True:
                reply = sock.recv(65535)
                status = status_code(reply)
                if status is not None and status >= 200:
                    return status
        except socket.timeout:
            return None


def status_code(reply: bytes) -> int | None:
    first = reply.split(b"\r\n", 1)[0].split(b" ")
    if len(first) >= 2 and first[0] == b"SIP/2.0" and first[1].isdigit():
        return int(first[1])
    return None


def digest_authorization(user: str, password: str, challenge: str, method: str, uri: str,
                         nc: int = 1) -> str:
    """The Authorization header (line and CRLF) answering a WWW-Authenticate `challenge`
    with qop=auth and the nonce count `nc` (RFC 2617)."""
    realm = re.search(r'realm="([^"]*)"', challenge).group(1)
    nonce = re.search(r'nonce="([^"]*)"', challenge).group(1)
    ha1 = hashlib.md5(f"{user}:{realm}:{password}".encode()).hexdigest()
    ha2 = hashlib.md5(f"{method}:{uri}".encode()).hexdigest()
    cnonce = secrets.token_hex(4)
    count = f"{nc:08x}"
    response = hashlib.md5(f"{ha1}:{nonce}:{count}:{cnonce}:auth:{ha2}".encode()).hexdigest()
    return (f'Authorization: Digest username="{user}", realm="{realm}", '
            f'nonce="{nonce}", uri="{uri}", response="{response}", '
            f'algorithm=MD5, qop=auth, nc={count}, cnonce="{cnonce}"\r\n')


def header_of(message: bytes, name: str) -> str | None:
    """The first value of header `name` in `message`, or None."""
    for line in message.decode(errors="replace").split("\r\n")[1:]:
        if not line:
            break
        key, _, value = line.partition(":")
        if key.strip().lower() == name.lower():
            return value.strip()
    return None
