#!/usr/bin/env python3
"""Drives the real /usr/lib/qemu/virtfs-proxy-helper for the differential tests.

Node cannot receive SCM_RIGHTS fds (real-helper.md §10), so this shim owns the client end of the
socketpair and speaks JSON lines on stdin/stdout:

  {"op":"start","argv":[...],"export":DIR}      argv may contain FD (replaced by the helper's end)
  {"op":"send","hex":H,"reader":"fd|framed|raw","timeout_ms":N}
  {"op":"close"}                                  close our end, wait for exit
  {"op":"build","base":B,"export_root":{...},"tree":[...]}   (re)create B/export from FORMAT.md entries
  {"op":"cleanup","base":B}                       remove B
  {"op":"quit"}

Every answer is one JSON line. Replies carry response_hex, recv_status (null/eof/quiet/
recv-error:ECONNRESET), fd_info for a received fd (kind, mode, uid, gid, o_flags, host_path inside
the export, content/listing), helper liveness and exit status.
"""
import array
import json
import os
import select
import signal
import socket
import stat
import subprocess
import sys
import time

KINDS = {stat.S_IFREG: 'file', stat.S_IFDIR: 'dir', stat.S_IFLNK: 'symlink', stat.S_IFIFO: 'fifo',
         stat.S_IFCHR: 'chardev', stat.S_IFBLK: 'blockdev', stat.S_IFSOCK: 'socket'}


class Session:
    def __init__(self, argv, export):
        self.export = os.path.realpath(export)
        self.ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        fd = theirs.fileno()
        argv = [str(fd) if a == 'FD' else a for a in argv]
        self.proc = subprocess.Popen(argv, pass_fds=[fd], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        theirs.close()
        self.ours.setblocking(False)

    def wait_readable(self, timeout):
        r, _, _ = select.select([self.ours], [], [], timeout)
        return bool(r)

    def read_exact(self, n, timeout):
        buf = b''
        deadline = time.monotonic() + timeout
        while len(buf) < n:
            left = deadline - time.monotonic()
            if left <= 0 or not self.wait_readable(left):
                return buf, 'quiet'
            try:
                chunk = self.ours.recv(n - len(buf))
            except ConnectionResetError:
                return buf, 'recv-error:ECONNRESET'
            if not chunk:
                return buf, 'eof'
            buf += chunk
        return buf, None

    def read_raw(self, timeout):
        buf = b''
        while True:
            if not self.wait_readable(timeout):
                return buf, 'quiet'
            try:
                chunk = self.ours.recv(65536)
            except ConnectionResetError:
                return buf, 'recv-error:ECONNRESET'
            if not chunk:
                return buf, 'eof'
            buf += chunk

    def fd_info(self, fd):
        st = os.fstat(fd)
        fl = __import__('fcntl').fcntl(fd, __import__('fcntl').F_GETFL)
        target = os.readlink('/proc/self/fd/%d' % fd)
        host_path = '/' + os.path.relpath(target, self.export) if target != self.export else '/'
        if host_path == '/.':
            host_path = '/'
        info = {'kind': KINDS.get(stat.S_IFMT(st.st_mode), '?'), 'mode': stat.S_IMODE(st.st_mode),
                'uid': st.st_uid, 'gid': st.st_gid, 'o_flags': fl, 'o_path': bool(fl & 0o10000000),
                'host_path': host_path}
        acc = fl & 3
        info['accmode'] = ['O_RDONLY', 'O_WRONLY', 'O_RDWR', '?'][acc]
        if info['kind'] == 'dir' and not info['o_path']:
            info['listing'] = sorted(os.listdir(fd))
        elif info['kind'] == 'file' and not info['o_path'] and acc != 1:
            info['content_hex'] = os.pread(fd, 64, 0).hex()
        return info

    def send(self, data, reader, timeout):
        self.ours.setblocking(True)
        try:
            self.ours.sendall(data)
        except (BrokenPipeError, ConnectionResetError) as e:
            return {'response_hex': '', 'recv_status': 'send-error:' + type(e).__name__, 'fd_received': False}
        self.ours.setblocking(False)
        out = {'fd_received': False}
        if reader == 'fd':
            if not self.wait_readable(timeout):
                out.update(response_hex='', recv_status='quiet')
            else:
                try:
                    msg, anc, flags, _ = self.ours.recvmsg(4, socket.CMSG_SPACE(4))
                    status = None if msg else 'eof'
                except ConnectionResetError:
                    msg, anc, status = b'', [], 'recv-error:ECONNRESET'
                out.update(response_hex=msg.hex(), recv_status=status)
                for level, typ, payload in anc:
                    if level == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS:
                        fds = array.array('i')
                        fds.frombytes(payload[:len(payload) - len(payload) % 4])
                        for fd in fds:
                            out['fd_received'] = True
                            out['fd_info'] = self.fd_info(fd)
                            os.close(fd)
        elif reader == 'framed':
            head, status = self.read_exact(8, timeout)
            body = b''
            if status is None:
                size = int.from_bytes(head[4:8], 'little')
                body, status = self.read_exact(size, timeout)
            out.update(response_hex=(head + body).hex(), recv_status=status)
        else:
            buf, status = self.read_raw(timeout)
            out.update(response_hex=buf.hex(), recv_status=status)
        # liveness: give a crashing or exiting helper a moment to be reaped
        if out['recv_status'] in ('eof', 'recv-error:ECONNRESET'):
            try:
                self.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
        else:
            time.sleep(0.002)
        rc = self.proc.poll()
        out['alive'] = rc is None
        if rc is not None:
            out['exit'] = exit_info(rc)
        return out

    def close(self):
        self.ours.close()
        try:
            rc = self.proc.wait(timeout=1)
            killed = False
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
            killed = True
        err = self.proc.stderr.read().decode('utf-8', 'replace')
        return {'exit': exit_info(rc), 'killed': killed, 'stderr': err}


def build(base, root, tree):
    """Create base/export from vectors/FORMAT.md tree entries, as the recorder did (times last)."""
    import base64
    import shutil
    if os.path.exists(base):
        shutil.rmtree(base)
    os.makedirs(base, 0o711)
    os.chmod(base, 0o711)
    export = os.path.join(base, 'export')
    os.mkdir(export)
    timed = []
    for e in tree:
        rel = base64.b64decode(e['path_b64']) if 'path_b64' in e else e['path'].encode()
        p = os.path.join(export.encode(), rel)
        t = e['type']
        if 'hardlink_of' in e:
            os.link(os.path.join(export.encode(), e['hardlink_of'].encode()), p)
            continue
        if t == 'file':
            data = base64.b64decode(e['content_b64']) if 'content_b64' in e else e.get('content', '').encode()
            fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.write(fd, data)
            os.close(fd)
        elif t == 'dir':
            os.mkdir(p, 0o700)
        elif t == 'symlink':
            os.symlink(base64.b64decode(e['target_b64']) if 'target_b64' in e else e['target'].encode(), p)
        elif t == 'fifo':
            os.mkfifo(p, 0o600)
        elif t in ('chardev', 'blockdev', 'socket'):
            kind = {'chardev': stat.S_IFCHR, 'blockdev': stat.S_IFBLK, 'socket': stat.S_IFSOCK}[t]
            os.mknod(p, kind | 0o600, e.get('rdev', 0))
        os.lchown(p, e['uid'], e['gid'])
        if t != 'symlink':
            os.chmod(p, e['mode'])
        for name, v in (e.get('xattrs') or {}).items():
            val = base64.b64decode(v['b64']) if isinstance(v, dict) else v.encode()
            os.setxattr(p, name, val, follow_symlinks=False)
        timed.append((p, e))
    os.chown(export, root['uid'], root['gid'])
    os.chmod(export, root['mode'])
    timed.reverse()
    timed.append((export.encode(), root))
    for p, e in timed:
        if 'atime' in e and 'mtime' in e:
            ns = lambda x: x['sec'] * 10**9 + x['nsec']
            os.utime(p, ns=(ns(e['atime']), ns(e['mtime'])), follow_symlinks=False)
    return export


def exit_info(rc):
    if rc < 0:
        return {'returncode': rc, 'signal': signal.Signals(-rc).name}
    return {'returncode': rc, 'signal': None}


def main():
    sess = None
    for line in sys.stdin:
        req = json.loads(line)
        op = req['op']
        try:
            if op == 'start':
                sess = Session(req['argv'], req['export'])
                res = {'pid': sess.proc.pid}
            elif op == 'send':
                res = sess.send(bytes.fromhex(req['hex']), req['reader'], req.get('timeout_ms', 300) / 1000)
            elif op == 'close':
                res = sess.close()
                sess = None
            elif op == 'build':
                res = {'export': build(req['base'], req['export_root'], req['tree'])}
            elif op == 'cleanup':
                import shutil
                shutil.rmtree(req['base'], ignore_errors=True)
                res = {}
            elif op == 'quit':
                break
            else:
                res = {'error': 'unknown op ' + op}
        except Exception as e:  # report, keep serving
            res = {'error': '%s: %s' % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(res) + '\n')
        sys.stdout.flush()
    if sess is not None:
        sess.close()


if __name__ == '__main__':
    main()
