#!/usr/bin/env python3
# Runs ONE real qemu-system-x86_64 command line the way real-helper.md §3 describes, with real
# virtfs-proxy-helpers behind the fds / socket paths the spec names, and prints the verdict as JSON.
# Node cannot place a socketpair end at a chosen fd number in a child (real-helper.md §10), so this
# small shim does the fd plumbing; the test (real-qemu.test.ts) generates the cases and compares.
#
# stdin:  {"qemu": PATH, "helper": PATH, "args": [...], "qmp": PATH, "export": DIR, "file": PATH,
#          "fds": {"3": "helper" | "file"}, "sockets": {PATH: "helper"}, "timeout": seconds}
# stdout: {"starts": bool, "exitCode": int|null, "signal": str|null, "hung": bool, "stderr": str,
#          "helperStderr": [str, ...]}
import json
import os
import signal
import socket
import subprocess
import sys
import time

spec = json.load(sys.stdin)
started_at = time.time()
deadline_s = float(spec.get("timeout", 8))

# Occupy fds 3..15 so that sockets created below get numbers above every target fd.
placeholders = []
while True:
    fd = os.open("/dev/null", os.O_RDONLY)
    if fd > 15:
        os.close(fd)
        break
    placeholders.append(fd)

helpers = []
targets = []
for fd_s, kind in sorted(spec.get("fds", {}).items()):
    target = int(fd_s)
    if kind == "helper":
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        h = subprocess.Popen([spec["helper"], "-n", "-p", spec["export"], "-f", str(mine.fileno())],
                             pass_fds=[mine.fileno()], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        mine.close()
        os.dup2(theirs.fileno(), target)
        theirs.close()
        helpers.append(h)
    elif kind == "file":
        f = os.open(spec["file"], os.O_RDONLY)
        os.dup2(f, target)
        os.close(f)
    else:
        raise SystemExit("unknown fd kind " + kind)
    targets.append(target)

for path, kind in spec.get("sockets", {}).items():
    assert kind == "helper"
    h = subprocess.Popen([spec["helper"], "-n", "-p", spec["export"], "-s", path, "-u", "0", "-g", "0"],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    helpers.append(h)
    t0 = time.time()
    while not os.path.exists(path) and time.time() - t0 < 3:
        time.sleep(0.005)

for fd in placeholders:
    if fd not in targets:
        os.close(fd)

qemu = subprocess.Popen([spec["qemu"]] + spec["args"], pass_fds=targets, stdin=subprocess.DEVNULL,
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
for fd in targets:
    os.close(fd)


def qmp_round(sock, cmd, timeout):
    sock.settimeout(timeout)
    sock.sendall((json.dumps(cmd) + "\n").encode())
    buf = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf += chunk
        for line in buf.split(b"\n"):
            line = line.strip()
            if not line:
                continue
            msg = json.loads(line)
            if "return" in msg or "error" in msg:
                return msg


starts = False
hung = False
t0 = time.time()
while qemu.poll() is None and time.time() - t0 < deadline_s:
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(spec["qmp"])
    except OSError:
        time.sleep(0.01)
        continue
    try:
        s.settimeout(3)
        greeting = s.recv(65536)  # sent by the monitor I/O thread even while realize blocks
        if greeting and qmp_round(s, {"execute": "qmp_capabilities"}, 3) is not None:
            st = qmp_round(s, {"execute": "query-status"}, 3)
            if st is not None and "return" in st:
                starts = True
                try:
                    qmp_round(s, {"execute": "quit"}, 3)
                except (OSError, ValueError):
                    pass
    except (socket.timeout, OSError, ValueError):
        pass  # QEMU exiting under us, or query-status never answering: decided by the wait below
    finally:
        s.close()
    break

# Not started: either QEMU is on its way out (an error while we talked to QMP) or realize blocks.
try:
    qemu.wait(timeout=3)
except subprocess.TimeoutExpired:
    hung = not starts
    qemu.kill()
    qemu.wait()
_, err = qemu.communicate()
helper_err = []
for h in helpers:
    try:
        h.wait(timeout=0.5)  # an fd helper sees EOF and exits; a socket helper nobody connected to waits forever
    except subprocess.TimeoutExpired:
        h.terminate()
        h.wait()
    helper_err.append(h.stderr.read().decode(errors="replace"))

rc = qemu.returncode
print(json.dumps({
    "starts": starts,
    "exitCode": None if (starts or hung or rc < 0) else rc,
    "signal": signal.Signals(-rc).name if rc < 0 and not hung else None,
    "hung": hung,
    "stderr": err.decode(errors="replace"),
    "helperStderr": helper_err,
    "seconds": round(time.time() - started_at, 3),
}))
