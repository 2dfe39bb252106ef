"""Free UDP ports on 127.0.0.1, so tests never collide with each other or the machine."""
import random
import socket

_handed_out: set[int] = set()

# Ports come from below the kernel's ephemeral ports, so sockets other programs bind
# meanwhile (on port 0), and the local ends of their TCP connections, cannot land on one.
RANGE_FLOOR, RANGE_CEILING = 10000, 32000


def free_udp_port(even: bool = False) -> int:
    """A port nobody is bound to now, for UDP and for TCP (the host listens on both at its
    SIP port); `even` for RTP (its RTCP takes the next one)."""
    for _ in range(1000):
        port = random.randrange(RANGE_FLOOR, RANGE_CEILING)
        if even:
            port -= port % 2
        both = _is_free(port) and _is_free(port, socket.SOCK_STREAM)
        if both and (not even or _is_free(port + 1)):
            _handed_out.add(port)
            return port
    raise RuntimeError(f"no free port on 127.0.0.1 in {RANGE_FLOOR}-{RANGE_CEILING - 1}")


def free_port_range(size: int) -> tuple[int, int]:
    """An even-aligned range of `size` ports that are free now (for RTP legs and SIPp's)."""
    span = RANGE_CEILING - RANGE_FLOOR
    start = RANGE_FLOOR + random.randrange(0, span, 2)
    scanned = 0
    while scanned < span:
        if start + size > RANGE_CEILING:
            start = RANGE_FLOOR
        busy = next((p for p in range(start, start + size) if not _is_free(p)), None)
        if busy is None:
            _handed_out.update(range(start, start + size))
            return start, start + size - 1
        step = busy + 1 + (busy + 1) % 2 - start  # past the busy port, to an even one
        start += step
        scanned += step
    raise RuntimeError(f"no {size} free UDP ports in a row on 127.0.0.1")


def _is_free(port: int, kind: int = socket.SOCK_DGRAM) -> bool:
    """Whether a socket of `kind` (UDP unless told) can bind the port now."""
    if port in _handed_out or port > 65535:
        return False
    with socket.socket(socket.AF_INET, kind) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
