#!/usr/bin/env python3
"""Drive the REAL qemu-system-x86_64's virtio-9p-pci device through qtest, without a guest.

A JSON-lines shim for differential tests (test/qemu-server/real-qemu.test.ts). QEMU runs with
`-accel qtest -qtest stdio`; this script plays the guest driver: it finds the legacy virtio-9p PCI
function, sets up one virtqueue in guest RAM and submits 9P2000.L messages as an out+in descriptor
pair, polling the used ring (virtio 0.9.5 legacy interface, as QEMU's libqos does).

argv: JSON config {"qemu": path, "args": [...fsdev/device args...], "helper": null | {"path","export","version"}}
stdin: one JSON object per line {"hex": "<9P message>"}; stdout: {"hex": "<reply>"} or {"error": "..."}.
For proxy: a socketpair is made here; the real helper gets one end as -f, QEMU the other as sock_fd.
"""
import json, os, socket, subprocess, sys, time

cfg = json.loads(sys.argv[1])
pass_fds = []
helper = None
args = list(cfg["args"])
def fake_peer(sock, mode):
    """A scripted 'helper' (a compromised or dying one): stat replies, then EOF on T_OPEN."""
    import struct, threading
    def stat(mode_bits):
        f = [0xfe00, 1234, 1, mode_bits, 0, 0, 0, 6, 4096, 8, 1700000000, 0, 1700000000, 0, 1700000000, 0]
        return struct.pack("<QQQIIIQQQQQQQQQQ", *f)
    def run():
        try:
            while True:
                h = sock.recv(8, socket.MSG_WAITALL)
                if len(h) < 8: return
                t, n = struct.unpack("<II", h)
                body = sock.recv(n, socket.MSG_WAITALL) if n else b""
                if t == 8:
                    st = stat(0o100644 if body.endswith(b"f\x00") else 0o40755)
                    sock.sendall(struct.pack("<II", 0, len(st)) + st)
                elif t == 2 and mode == "eof-on-open":
                    sock.close(); return
                else:
                    sock.sendall(struct.pack("<IIi", 1, 4, -95))
        except OSError:
            return
    threading.Thread(target=run, daemon=True).start()

if cfg.get("fake"):
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    os.set_inheritable(b.fileno(), True)
    fake_peer(a, cfg["fake"])
    pass_fds = [b.fileno()]
    args = [x.replace("@SOCKFD@", str(b.fileno())) for x in args]
elif cfg.get("helper"):
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    os.set_inheritable(a.fileno(), True)
    os.set_inheritable(b.fileno(), True)
    helper = subprocess.Popen([cfg["helper"]["path"], "-n", "-f", str(a.fileno()), "-p", cfg["helper"]["export"]],
                              pass_fds=[a.fileno()], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    a.close()
    pass_fds = [b.fileno()]
    args = [x.replace("@SOCKFD@", str(b.fileno())) for x in args]

# Debian's build has no qtest accelerator: TCG with the CPU stopped (-S); the main loop still runs
# the 9p coroutines, so the test polls the used ring with short sleeps.
qemu = subprocess.Popen([cfg["qemu"], "-machine", "pc", "-accel", "tcg", "-S", "-qtest", "stdio", "-qtest-log", "/dev/null", "-nodefaults",
                         "-display", "none", "-m", "64"] + args,
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, pass_fds=pass_fds)
if pass_fds:
    os.close(pass_fds[0])

def cmd(line):
    qemu.stdin.write((line + "\n").encode()); qemu.stdin.flush()
    while True:
        r = qemu.stdout.readline().decode()
        if not r:
            raise RuntimeError("qemu exited: " + qemu.stderr.read().decode())
        if r.startswith("OK") or r.startswith("FAIL") or r.startswith("ERR"):
            return r.strip()

def val(r): return int(r.split()[1], 16)
def outl(p, v): cmd("outl 0x%x 0x%x" % (p, v))
def inl(p): return val(cmd("inl 0x%x" % p))
def outw(p, v): cmd("outw 0x%x 0x%x" % (p, v))
def inw(p): return val(cmd("inw 0x%x" % p))
def outb(p, v): cmd("outb 0x%x 0x%x" % (p, v))
def inb(p): return val(cmd("inb 0x%x" % p))
def write(addr, data):
    if data: cmd("write 0x%x 0x%x 0x%s" % (addr, len(data), data.hex()))
def read(addr, n):
    r = cmd("read 0x%x 0x%x" % (addr, n)).split()[1]
    return bytes.fromhex(r[2:])
def u16(v): return v.to_bytes(2, "little")
def u32(v): return v.to_bytes(4, "little")
def u64(v): return v.to_bytes(8, "little")

def cfg_addr(dev, reg): return 0x80000000 | (dev << 11) | reg
dev = None
for d in range(32):
    outl(0xcf8, cfg_addr(d, 0)); idw = inl(0xcfc)
    if idw & 0xffff == 0x1af4 and (idw >> 16) == 0x1009:
        dev = d; break
if dev is None:
    print(json.dumps({"error": "no virtio-9p-pci function: " + qemu.stderr.read1(4096).decode() if qemu.poll() is not None else "no virtio-9p-pci function"})); sys.exit(1)
IO = 0xc000
outl(0xcf8, cfg_addr(dev, 0x10)); outl(0xcfc, IO | 1)
outl(0xcf8, cfg_addr(dev, 0x04)); cmdreg = inl(0xcfc) & 0xffff; outl(0xcf8, cfg_addr(dev, 0x04)); outl(0xcfc, cmdreg | 0x5)
outb(IO + 18, 0); outb(IO + 18, 1); outb(IO + 18, 1 | 2)
feat = inl(IO + 0); outl(IO + 4, feat & 1)   # VIRTIO_9P_MOUNT_TAG only
outw(IO + 14, 0); N = inw(IO + 12)
RING = 0x100000
DESC, AVAIL = RING, RING + 16 * N
USED = (AVAIL + 6 + 2 * N + 4095) & ~4095
write(RING, bytes(USED + 6 + 8 * N - RING))
outl(IO + 8, RING >> 12)
outb(IO + 18, 1 | 2 | 4)
REQ, RSP, RSPLEN = 0x200000, 0x300000, 0x4000
avail_idx = 0
used_idx = 0
pending = {}   # head descriptor index -> slot
next_slot = 0

def post(req):
    """Queue one request as an out+in descriptor pair in its own slot; returns the slot."""
    global avail_idx, next_slot
    slot = next_slot % 16
    next_slot += 1
    head = 2 * slot
    write(REQ + slot * RSPLEN, req)
    write(DESC + 16 * head, u64(REQ + slot * RSPLEN) + u32(len(req)) + u16(1) + u16(head + 1)
          + u64(RSP + slot * RSPLEN) + u32(RSPLEN) + u16(2) + u16(0))
    write(AVAIL + 4 + 2 * (avail_idx % N), u16(head))
    avail_idx = (avail_idx + 1) & 0xffff
    write(AVAIL + 2, u16(avail_idx))
    outw(IO + 16, 0)
    pending[head] = slot
    return slot

def reap(timeout):
    """Completed requests as (slot, reply bytes), waiting up to `timeout` seconds for the first."""
    global used_idx
    out = []
    deadline = time.time() + timeout
    while True:
        idx = int.from_bytes(read(USED + 2, 2), "little")
        while idx != used_idx:
            e = read(USED + 4 + 8 * (used_idx % N), 8)
            used_idx = (used_idx + 1) & 0xffff
            head = int.from_bytes(e[0:4], "little")
            n = int.from_bytes(e[4:8], "little")
            slot = pending.pop(head)
            out.append((slot, read(RSP + slot * RSPLEN, n)))
        if out or time.time() >= deadline:
            return out
        time.sleep(0.002)

def submit(req):
    slot = post(req)
    got = reap(5)
    for s_, r in got:
        if s_ == slot:
            return r
    return None

for line in sys.stdin:
    line = line.strip()
    if not line: continue
    m = json.loads(line)
    if m.get("nowait"):
        # Post without waiting; report what completed within `wait` seconds (slots, in order).
        slot = post(bytes.fromhex(m["hex"]))
        got = reap(m.get("wait", 0.5))
        print(json.dumps({"slot": slot, "done": [{"slot": s_, "hex": r.hex()} for s_, r in got]}), flush=True)
    elif "host_open_write" in m:
        # A host process opens the FIFO for writing (O_WRONLY|O_NONBLOCK), as real-helper.md §2 did.
        # ENXIO until the helper is blocked in its open() as the reader: retry for a while.
        deadline = time.time() + 5
        while True:
            try:
                fd = os.open(m["host_open_write"], os.O_WRONLY | os.O_NONBLOCK)
                break
            except OSError:
                if time.time() > deadline: raise
                time.sleep(0.01)
        got = reap(m.get("wait", 2))
        os.close(fd)
        print(json.dumps({"done": [{"slot": s_, "hex": r.hex()} for s_, r in got]}), flush=True)
    else:
        r = submit(bytes.fromhex(m["hex"]))
        print(json.dumps({"hex": r.hex()} if r is not None else {"error": "no reply within 5 s"}), flush=True)

if cfg.get("stderr"):
    # QEMU's own messages (qtest logs every command to stderr as "[R …]"/"[S …]" lines: dropped).
    qemu.stdin.close(); time.sleep(0.2); qemu.kill()
    err = qemu.stderr.read().decode(errors="replace")
    print(json.dumps({"stderr": "".join(l + "\n" for l in err.splitlines() if not l.startswith("["))}), flush=True)
else:
    qemu.stdin.close(); qemu.kill()
qemu.wait()
if helper:
    helper.kill(); helper.wait()
