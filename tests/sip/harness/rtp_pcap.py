"""Writes a capture of one RTP stream, a steady G.711 tone, for SIPp's play_pcap_audio.

SIPp replays a capture's UDP payloads with the capture's timing, from its own media port to
the address the far end's SDP gave, so the addresses and ports written here are placeholders.
It reads Ethernet captures of IPv4/UDP (libpcap's classic format), which is what this writes:
no binary capture is kept in the tree, each test makes the one it needs.
"""
import math
import struct
from pathlib import Path

from .softphone import FRAME, ulaw_encode

_PCAP_MAGIC = 0xA1B2C3D4
_LINKTYPE_ETHERNET = 1
_SOURCE = (bytes([10, 0, 0, 1]), 16000)
_DESTINATION = (bytes([10, 0, 0, 2]), 16002)


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def _udp_over_ethernet(payload: bytes) -> bytes:
    (source_ip, source_port), (destination_ip, destination_port) = _SOURCE, _DESTINATION
    udp_length = 8 + len(payload)
    pseudo = source_ip + destination_ip + struct.pack("!BBH", 0, 17, udp_length)
    udp = struct.pack("!HHHH", source_port, destination_port, udp_length, 0) + payload
    udp_sum = _checksum(pseudo + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", udp_sum) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_length, 0, 0x4000, 64, 17, 0,
                     source_ip, destination_ip)
    ip = ip[:10] + struct.pack("!H", _checksum(ip)) + ip[12:]
    ethernet = bytes(6) + bytes([2, 0, 0, 0, 0, 1]) + struct.pack("!H", 0x0800)
    return ethernet + ip + udp


def write_tone_pcap(path: Path, seconds: float, hertz: float, amplitude: int = 8000,
                    ssrc: int = 0x5EED0001) -> Path:
    """`seconds` of a PCMU (payload type 0) tone as 20 ms RTP packets, 20 ms apart."""
    step = 2 * math.pi * hertz / 8000
    packets = int(seconds * 50)
    with open(path, "wb") as out:
        out.write(struct.pack("<IHHiIII", _PCAP_MAGIC, 2, 4, 0, 0, 65535, _LINKTYPE_ETHERNET))
        for n in range(packets):
            audio = bytes(ulaw_encode(int(amplitude * math.sin(step * (n * FRAME + i))))
                          for i in range(FRAME))
            rtp = struct.pack("!BBHII", 0x80, 0x80 if n == 0 else 0, n, n * FRAME, ssrc) + audio
            frame = _udp_over_ethernet(rtp)
            microseconds = n * 20_000
            out.write(struct.pack("<IIII", microseconds // 1_000_000, microseconds % 1_000_000,
                                  len(frame), len(frame)))
            out.write(frame)
    return path
