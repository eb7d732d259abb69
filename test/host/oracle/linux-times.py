#!/usr/bin/env python3
# Runs filesystem operations as root on the REAL Linux kernel, sleeping between them so that coarse
# timestamps move, and prints after each operation every entry's (atime, mtime, ctime) in ns.
# Input (stdin): {"sequences": [{"base": "/abs/dir", "ops": [{"op": …, …}]}], "sleep": seconds}.
# Used by test/host/differential-times.test.ts.
import errno, json, os, stat, sys, time

def run(op):
    o = op["op"]; p = op.get("p")
    if o == "create": os.close(os.open(p, os.O_CREAT | os.O_WRONLY, 0o644))
    elif o == "write":
        fd = os.open(p, os.O_WRONLY); os.write(fd, b"data"); os.close(fd)
    elif o == "append":
        fd = os.open(p, os.O_WRONLY | os.O_APPEND); os.write(fd, b"more"); os.close(fd)
    elif o == "read":
        fd = os.open(p, os.O_RDONLY); os.read(fd, 100); os.close(fd)
    elif o == "otrunc": os.close(os.open(p, os.O_WRONLY | os.O_TRUNC))
    elif o == "truncate": os.truncate(p, op["len"])
    elif o == "chmod": os.chmod(p, op["mode"])
    elif o == "chown": os.chown(p, 0, 0)
    elif o == "link": os.link(op["a"], op["b"])
    elif o == "unlink": os.unlink(p)
    elif o == "rename": os.rename(op["a"], op["b"])
    elif o == "mkdir": os.mkdir(p, 0o755)
    elif o == "rmdir": os.rmdir(p)
    elif o == "symlink": os.symlink(op["target"], p)
    elif o == "setxattr": os.setxattr(p, "user.t", b"v", 0, follow_symlinks=False)
    elif o == "utime_now": os.utime(p, None, follow_symlinks=False)
    elif o == "readdir": os.listdir(p)
    elif o == "readlink": os.readlink(p)
    else: raise ValueError(o)
    return "ok"

def snap():
    # Directories are listed through O_NOATIME fds: the snapshot itself must not move atimes.
    out = {}
    def walk(rel):
        st = os.lstat(rel)
        out[os.path.normpath(rel)] = [st.st_atime_ns, st.st_mtime_ns, st.st_ctime_ns]
        if stat.S_ISDIR(st.st_mode):  # from lstat: following a symlink would move its atime
            fd = os.open(rel, os.O_RDONLY | os.O_DIRECTORY | os.O_NOATIME)
            try:
                names = os.listdir(fd)
            finally:
                os.close(fd)
            for n in names:
                walk(os.path.join(rel, n))
    walk(".")
    return out

def main():
    req = json.load(sys.stdin)
    results = []
    for seq in req["sequences"]:
        os.chdir(seq["base"])
        snaps = [snap()]
        errs = []
        for op in seq["ops"]:
            time.sleep(req["sleep"])
            try:
                errs.append(run(op))
            except OSError as e:
                errs.append(errno.errorcode.get(e.errno, str(e.errno)))
            snaps.append(snap())
        results.append({"results": errs, "snaps": snaps})
    json.dump(results, sys.stdout)

main()
