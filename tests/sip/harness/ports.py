"""Free UDP ports on 127.0.0.1, so tests never collide with each other or the machine."""
import random
import socket

_handed_out: set[int] = set()


def free_udp_port(even: bool = False) -> int:
    """A port nobody is bound to now; `even` for RTP (its RTCP takes the next one)."""
    for _ in range(200):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if even and (port % 2 or not _is_free(port + 1)):
            continue
        if port in _handed_out:
            continue
        _handed_out.add(port)
        return port
    raise RuntimeError("no free UDP port on 127.0.0.1")


# Ranges come from below the kernel's ephemeral ports, so sockets other programs bind
# meanwhile (on port 0) cannot land inside one.
RANGE_FLOOR, RANGE_CEILING = 10000, 32000


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


def _is_free(port: int) -> bool:
    if port in _handed_out or port > 65535:
        return False
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
