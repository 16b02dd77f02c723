#!/usr/bin/env python3
"""Wait until a SIP server answers OPTIONS over UDP with 200. usage: sip_ping.py HOST PORT TIMEOUT_SECONDS"""
import socket, sys, time

host, port, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
deadline = time.time() + timeout
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind((host, 0))
sock.settimeout(0.2)
local_port = sock.getsockname()[1]
n = 0
while time.time() < deadline:
    n += 1
    request = (f"OPTIONS sip:{host}:{port} SIP/2.0\r\n"
               f"Via: SIP/2.0/UDP {host}:{local_port};branch=z9hG4bKping{n};rport\r\n"
               f"From: <sip:ping@{host}>;tag=ping{n}\r\nTo: <sip:{host}>\r\nCall-ID: ping{n}.{local_port}\r\n"
               f"CSeq: {n} OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
    try:
        sock.sendto(request.encode(), (host, port))
        if sock.recv(4096).startswith(b"SIP/2.0 200"):
            sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
