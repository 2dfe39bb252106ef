"""Free UDP ports on 127.0.0.1, so tests never collide with each other or the machine."""
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


def free_port_range(size: int) -> tuple[int, int]:
    """An even-aligned range of `size` ports that are free now (for the host's RTP legs)."""
    for _ in range(200):
        start = free_udp_port(even=True)
        if all(_is_free(p) for p in range(start + 1, start + size)):
            _handed_out.update(range(start, start + size))
            return start, start + size - 1
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
