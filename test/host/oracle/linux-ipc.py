#!/usr/bin/env python3
# Runs AF_UNIX stream socketpair operations on the REAL Linux kernel (both ends non-blocking) and
# prints one result per step. Steps (JSON lists):
#   ["send", side, hexdata, nfds]   sendmsg with nfds copies of the file "f" as SCM_RIGHTS (MSG_NOSIGNAL)
#   ["recv", side, n, maxfds]       recvmsg with room for exactly maxfds fds (CMSG_LEN(4*maxfds))
#   ["shutdown", side, how] ["close", side] ["readfd", k, n] (read from the k-th received fd)
# Input: {"file": path, "sequences": [[step, …], …]}. Used by test/host/differential-sockets.test.ts.
import array, errno, json, os, socket, sys

def fifo_run(path, steps):
    # FIFO steps: ["open", name, flags] (non-blocking or O_RDWR only), ["read", name, n],
    # ["write", name, hex], ["close", name].
    if os.path.exists(path): os.unlink(path)
    os.mkfifo(path, 0o644)
    fds = {}
    res = []
    for st in steps:
        try:
            op, name = st[0], st[1]
            if op == "open":
                if name in fds: res.append("busy"); continue
                fds[name] = os.open(path, st[2]); res.append("ok")
            elif name not in fds:
                res.append("EBADF")
            elif op == "read": res.append("ok:" + os.read(fds[name], st[2]).hex())
            elif op == "write": res.append("ok:%d" % os.write(fds[name], bytes.fromhex(st[2])))
            elif op == "close": os.close(fds.pop(name)); res.append("ok")
            else: raise ValueError(op)
        except OSError as e:
            res.append(errno.errorcode.get(e.errno, str(e.errno)))
    for fd in fds.values(): os.close(fd)
    return res

def main():
    req = json.load(sys.stdin)
    out = []
    if "fifo" in req:
        json.dump([fifo_run(req["fifo"], steps) for steps in req["fifo_sequences"]], sys.stdout)
        return
    for steps in req["sequences"]:
        a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        a.setblocking(False); b.setblocking(False)
        ends = {"a": a, "b": b}
        f = os.open(req["file"], os.O_RDONLY)
        got = []
        res = []
        for st in steps:
            try:
                op = st[0]
                if op == "send":
                    s = ends[st[1]]
                    if s is None: raise OSError(errno.EBADF, "closed")
                    anc = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [f] * st[3]))] if st[3] else []
                    res.append("ok:%d" % s.sendmsg([bytes.fromhex(st[2])], anc, socket.MSG_NOSIGNAL))
                elif op == "recv":
                    s = ends[st[1]]
                    if s is None: raise OSError(errno.EBADF, "closed")
                    data, anc, flags, _ = s.recvmsg(st[2], socket.CMSG_LEN(4 * st[3]) if st[3] else 0)
                    fds = []
                    for level, typ, blob in anc:
                        if level == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS:
                            fds += array.array("i", blob[: len(blob) - len(blob) % 4]).tolist()
                    got += fds
                    res.append("ok:%s:%d:%d" % (data.hex(), len(fds), 1 if flags & socket.MSG_CTRUNC else 0))
                elif op == "shutdown":
                    s = ends[st[1]]
                    if s is None: raise OSError(errno.EBADF, "closed")
                    s.shutdown(st[2]); res.append("ok")
                elif op == "close":
                    s = ends[st[1]]
                    if s is None: raise OSError(errno.EBADF, "closed")
                    s.close(); ends[st[1]] = None; res.append("ok")
                elif op == "readfd":
                    if st[1] >= len(got): res.append("none"); continue
                    res.append("ok:" + os.read(got[st[1]], st[2]).hex())
                else:
                    raise ValueError(op)
            except OSError as e:
                res.append(errno.errorcode.get(e.errno, str(e.errno)))
        for s in ends.values():
            if s is not None: s.close()
        for fd in got: os.close(fd)
        os.close(f)
        out.append(res)
    json.dump(out, sys.stdout)

main()
