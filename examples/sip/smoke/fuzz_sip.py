#!/usr/bin/env python3
"""Sends mutated SIP requests (INVITE, REGISTER, INFO, BYE, CANCEL, OPTIONS, ...) and raw
garbage to a running hotline-sip, then checks that it still answers OPTIONS.

    fuzz_sip.py PORT COUNT SEED

Run the sanitized build under it and look for sanitizer reports on its stderr; the host must
also exit 0 on SIGTERM afterwards. It sends from 127.0.0.1:5999.
"""
import random, socket, sys, time
port = int(sys.argv[1]); n = int(sys.argv[2]); seed = int(sys.argv[3])
rnd = random.Random(seed)
sdp = ("v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
       "m=audio 40000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n")
def msg(method, ruri, extra="", body="", ctype="application/sdp", totag=""):
    h = (f"{method} {ruri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK{rnd.randrange(1<<40)}\r\n"
         f"From: <sip:+1555{rnd.randrange(10000)}@127.0.0.1:5999>;tag=f{rnd.randrange(1<<30)}\r\n"
         f"To: <sip:{ruri.split(':')[1].split('@')[0]}@127.0.0.1>{totag}\r\nCall-ID: fz{rnd.randrange(1<<40)}\r\n"
         f"CSeq: 1 {method}\r\nMax-Forwards: 70\r\nContact: <sip:fz@127.0.0.1:5999>\r\n{extra}")
    if body: h += f"Content-Type: {ctype}\r\n"
    return (h + f"Content-Length: {len(body)}\r\n\r\n" + body).encode()
templates = [
  lambda: msg("INVITE", "sip:1000@127.0.0.1", body=sdp),
  lambda: msg("INVITE", "sip:2000@127.0.0.1", body=sdp.replace("0 101", "18")),
  lambda: msg("INVITE", "sip:3000@127.0.0.1", body="garbage=1\r\n"),
  lambda: msg("INVITE", "sip:1000@127.0.0.1", body=sdp.replace("IP4 127.0.0.1", "IP6 ::1")),
  lambda: msg("REGISTER", "sip:127.0.0.1", extra="Expires: 60\r\n"),
  lambda: msg("REGISTER", "sip:127.0.0.1", extra='Authorization: Digest username="r01", realm="hotline", nonce="abc", uri="sip:127.0.0.1", response="00"\r\n'),
  lambda: msg("REGISTER", "sip:127.0.0.1", extra='Authorization: Digest username="r01"\r\nExpires: 4294967295\r\n'),
  lambda: msg("REGISTER", "sip:127.0.0.1", extra='Authorization: Digest\r\nContact: *\r\nExpires: 0\r\n'),
  lambda: msg("INFO", "sip:1000@127.0.0.1", body="Signal=5\r\nDuration=100\r\n", ctype="application/dtmf-relay", totag=";tag=x"),
  lambda: msg("BYE", "sip:1000@127.0.0.1", totag=";tag=x"),
  lambda: msg("CANCEL", "sip:1000@127.0.0.1"),
  lambda: msg("OPTIONS", "sip:127.0.0.1"),
  lambda: msg("SUBSCRIBE", "sip:127.0.0.1"),
  lambda: msg("ACK", "sip:1000@127.0.0.1", totag=";tag=y"),
]
def mutate(b):
    b = bytearray(b)
    for _ in range(rnd.randrange(1, 6)):
        op = rnd.randrange(7)
        if not b: break
        i = rnd.randrange(len(b))
        if op == 0: b[i] = rnd.randrange(256)
        elif op == 1: del b[i:i + rnd.randrange(1, 40)]
        elif op == 2: b[i:i] = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 20)))
        elif op == 3: b = b[:i]
        elif op == 4: b[i:i] = b"\r\n"
        elif op == 5: b[i:i] = b"A" * rnd.randrange(100, 3000)
        elif op == 6:
            lines = bytes(b).split(b"\r\n"); j = rnd.randrange(len(lines)); lines.insert(j, lines[rnd.randrange(len(lines))]); b = bytearray(b"\r\n".join(lines))
    return bytes(b)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 5999)); s.setblocking(False)
for k in range(n):
    m = rnd.choice(templates)()
    if rnd.random() < 0.7: m = mutate(m)
    s.sendto(m[:65000], ("127.0.0.1", port))
    if k % 50 == 0:
        time.sleep(0.01)
        try:
            while True: s.recv(65535)
        except BlockingIOError: pass
time.sleep(1)
s.setblocking(True); s.settimeout(2)
s.sendto(msg("OPTIONS", "sip:127.0.0.1"), ("127.0.0.1", port))
while True:
    try:
        d = s.recv(65535)
    except socket.timeout:
        print("NO ANSWER TO OPTIONS"); sys.exit(1)
    if b"CSeq: 1 OPTIONS" in d and d.startswith(b"SIP/2.0 200"):
        print("alive"); break
