#!/usr/bin/env python3
# Runs filesystem operations on the REAL Linux kernel with the given credentials and prints one
# JSON result per operation: "ok", "ok:<value>" or the errno name.
# Input (stdin): {"umask": 18, "sequences": [{"base": "/abs/dir", "ops": [{"actor": {"uid", "gid",
# "groups"}, "op": …, …}], "chroot": bool}]}; output: one list of results per sequence. With "chroot"
# the operations run in a child chrooted into base (cwd "/"). Used by test/host/differential-perms.test.ts.
import ctypes, errno, json, os, sys

LIBC = ctypes.CDLL(None, use_errno=True)

INO_NAMES = {}

def ino_name(st):
    # Identify what a path resolved to by the name it was first seen under (inode numbers differ
    # between the kernels). Filled by the "label" operation.
    return INO_NAMES.get((st.st_dev, st.st_ino), "?")

def run(op):
    o = op["op"]
    p = lambda k="p": op[k]
    if o == "label":
        st = os.lstat(p()); INO_NAMES[(st.st_dev, st.st_ino)] = op["name"]; return "ok"
    if o == "mkdir": os.mkdir(p(), op["mode"]); return "ok"
    if o == "open":
        fd = os.open(p(), op["flags"], op["mode"])
        if op.get("write"):
            os.write(fd, b"x")
        os.close(fd); return "ok"
    if o == "symlink": os.symlink(op["target"], p()); return "ok"
    if o == "link": os.link(op["a"], op["b"], follow_symlinks=False); return "ok"
    if o == "unlink": os.unlink(p()); return "ok"
    if o == "rmdir": os.rmdir(p()); return "ok"
    if o == "rename": os.rename(op["a"], op["b"]); return "ok"
    if o == "chmod": os.chmod(p(), op["mode"]); return "ok"
    if o == "chown": os.chown(p(), op["uid"], op["gid"]); return "ok"
    if o == "lchown": os.lchown(p(), op["uid"], op["gid"]); return "ok"
    if o == "truncate": os.truncate(p(), op["len"]); return "ok"
    if o == "utime_now": os.utime(p(), None); return "ok"
    if o == "utime_set": os.utime(p(), ns=(op["ns"], op["ns"])); return "ok"
    if o == "setxattr": os.setxattr(p(), op["name"], b"v", 0, follow_symlinks=False); return "ok"
    if o == "getxattr": return "ok:" + os.getxattr(p(), op["name"], follow_symlinks=False).decode()
    if o == "lstat": st = os.lstat(p()); return "ok:%o" % st.st_mode
    if o == "stat": st = os.stat(p()); return "ok:%o" % st.st_mode
    if o == "access":  # os.access() hides the errno; call access(2) itself
        if LIBC.access(p().encode(), op["mode"]) == 0:
            return "ok"
        raise OSError(ctypes.get_errno(), "access")
    if o == "readdir": return "ok:" + ",".join(sorted(os.listdir(p())))
    if o == "readlink": return "ok:" + os.readlink(p())
    if o == "lstat_ino": st = os.lstat(p()); return "ok:%o:%s" % (st.st_mode, ino_name(st))
    if o == "stat_ino": st = os.stat(p()); return "ok:%o:%s" % (st.st_mode, ino_name(st))
    raise ValueError("unknown op " + o)

def as_actor(a, umask, op):
    # No fork per operation (too slow): switch ids in place and back. While an operation runs the
    # ids are ruid=euid=fsuid=uid, saved uid 0: for uid != 0 the effective capability set is empty
    # (euid 0 -> non-0 clears it, capabilities(7)), which is all that filesystem checks consult;
    # access(2) uses the real ids. The saved uid 0 only lets us switch back afterwards.
    os.setresuid(0, 0, 0)
    os.setresgid(0, 0, 0)
    os.setgroups(a["groups"])
    os.setresgid(a["gid"], a["gid"], 0)
    os.setresuid(a["uid"], a["uid"], 0)
    os.umask(umask)
    try:
        return run(op)
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))
    finally:
        os.setresuid(0, 0, 0)
        os.setresgid(0, 0, 0)
        os.setgroups([])

def chrooted(seq, umask):
    # A child chroots into base (the parent must keep its root) and reports through a pipe.
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            os.chroot(seq["base"])
            os.chdir("/")
            res = [as_actor(op["actor"], umask, op) for op in seq["ops"]]
            os.write(w, json.dumps(res).encode())
        finally:
            os._exit(0)
    os.close(w)
    data = b""
    while True:
        chunk = os.read(r, 1 << 16)
        if not chunk:
            break
        data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    return json.loads(data)

def main():
    req = json.load(sys.stdin)
    results = []
    for seq in req["sequences"]:
        os.setresuid(0, 0, 0)
        if seq.get("chroot"):
            results.append(chrooted(seq, req["umask"]))
            continue
        os.chdir(seq["base"])
        results.append([as_actor(op["actor"], req["umask"], op) for op in seq["ops"]])
    json.dump(results, sys.stdout)

main()
