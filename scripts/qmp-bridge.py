#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Let a guest test drive QEMU's monitor (QMP) through a serial port.

    qmp-bridge.py QMP_SOCKET CTL_SOCKET LOG

scripts/boot.sh -Q starts QEMU with a QMP server on QMP_SOCKET and a third
serial port (the guest's /dev/ttyS2) on CTL_SOCKET, and runs this bridge
beside it.  The guest writes one QMP command per line, as JSON, to
/dev/ttyS2; the bridge sends it to QEMU and writes QEMU's answer (the
"return" or "error" object, never an asynchronous event) back as one line
of JSON.  So a hotplug test inside the guest can plug memory and then check
what the guest kernel made of it, step by step, with no timing guesses on
the host side.  Every exchange is logged to LOG.
"""
import json
import socket
import sys
import time


def connect(path, timeout=60):
    """Connect to a QEMU server socket, waiting for QEMU to create it."""
    deadline = time.monotonic() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class Lines:
    """Read a socket line by line."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def readline(self):
        while b"\n" not in self.buf:
            data = self.sock.recv(4096)
            if not data:
                return None
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode(errors="replace").strip("\r")


def qmp_answer(qmp, qin):
    """The next QMP reply that is not an event."""
    while True:
        line = qin.readline()
        if line is None:
            return {"error": {"class": "BridgeError", "desc": "QMP closed"}}
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if "return" in msg or "error" in msg:
            return msg


def main():
    qmp_path, ctl_path, log_path = sys.argv[1:4]
    log = open(log_path, "a", buffering=1)
    try:
        qmp = connect(qmp_path)
        ctl = connect(ctl_path)
    except OSError as e:
        log.write(f"bridge: cannot connect: {e}\n")
        return 1
    qin, cin = Lines(qmp), Lines(ctl)
    qin.readline()  # the greeting
    qmp.sendall(b'{"execute": "qmp_capabilities"}\n')
    log.write(f"bridge: qmp_capabilities -> {json.dumps(qmp_answer(qmp, qin))}\n")
    while True:
        line = cin.readline()
        if line is None:
            return 0
        line = line.strip()
        if not line:
            continue
        try:
            json.loads(line)
        except ValueError:
            answer = {"error": {"class": "BridgeError", "desc": "not JSON: " + line[:80]}}
        else:
            qmp.sendall(line.encode() + b"\n")
            answer = qmp_answer(qmp, qin)
        reply = json.dumps(answer, separators=(",", ":"))
        log.write(f"guest: {line}\nqemu:  {reply}\n")
        ctl.sendall(reply.encode() + b"\n")


if __name__ == "__main__":
    sys.exit(main())
