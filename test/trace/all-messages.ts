// One of every 9P2000.L message the codec knows, as request/reply pairs with distinct tags and fids,
// for the pcapng/tshark test and the exporter tests.
import type { P9Message } from '../../sim/p9/index.ts';

const q = (type: number, path: bigint) => ({ type, version: 0, path });

export function allMessagePairs(): [P9Message, P9Message][] {
  let tag = 0;
  const t = () => ++tag;
  const pairs: [P9Message, P9Message][] = [];
  const pair = (req: (tag: number) => P9Message, rep: (tag: number) => P9Message) => {
    const g = req.length ? t() : 0;
    pairs.push([req(g), rep(g)]);
  };
  pairs.push([
    { kind: 'Tversion', tag: 0xffff, msize: 512 * 1024, version: '9P2000.L' },
    { kind: 'Rversion', tag: 0xffff, msize: 512 * 1024, version: '9P2000.L' },
  ]);
  pair((g) => ({ kind: 'Tauth', tag: g, afid: 99, uname: 'root', aname: '', n_uname: 0 }), (g) => ({ kind: 'Rauth', tag: g, aqid: q(0x08, 1n) }));
  pair((g) => ({ kind: 'Tattach', tag: g, fid: 1, afid: 0xffffffff, uname: 'root', aname: '', n_uname: 0 }), (g) => ({ kind: 'Rattach', tag: g, qid: q(0x80, 2n) }));
  pair((g) => ({ kind: 'Twalk', tag: g, fid: 1, newfid: 2, wnames: ['pub', 'a.txt'] }), (g) => ({ kind: 'Rwalk', tag: g, wqids: [q(0x80, 3n), q(0, 4n)] }));
  pair((g) => ({ kind: 'Tgetattr', tag: g, fid: 2, request_mask: 0x3fffn }), (g) => ({
    // Distinct values in every slot, so that a misaligned field would show in tshark's decode.
    kind: 'Rgetattr', tag: g, valid: 0x17ffn, qid: q(0, 4n), mode: 0o100644, uid: 1000, gid: 100, nlink: 3n, rdev: 0x801n, size: 6n,
    blksize: 4096n, blocks: 8n, atime_sec: 1700000001n, atime_nsec: 1n, mtime_sec: 1700000002n, mtime_nsec: 2n,
    ctime_sec: 1700000003n, ctime_nsec: 3n, btime_sec: 1700000004n, btime_nsec: 4n, gen: 77n, data_version: 88n,
  }));
  pair((g) => ({ kind: 'Tsetattr', tag: g, fid: 2, valid: 0x1bf, mode: 0o600, uid: 1000, gid: 100, size: 5n, atime_sec: 11n, atime_nsec: 5n, mtime_sec: 12n, mtime_nsec: 6n }), (g) => ({ kind: 'Rsetattr', tag: g }));
  pair((g) => ({ kind: 'Tlopen', tag: g, fid: 2, flags: 0o2 }), (g) => ({ kind: 'Rlopen', tag: g, qid: q(0, 4n), iounit: 4096 }));
  pair((g) => ({ kind: 'Tread', tag: g, fid: 2, offset: 0n, count: 4096 }), (g) => ({ kind: 'Rread', tag: g, data: Uint8Array.from([104, 101, 108, 108, 111, 10]) }));
  pair((g) => ({ kind: 'Twrite', tag: g, fid: 2, offset: 6n, data: Uint8Array.from([33, 10]) }), (g) => ({ kind: 'Rwrite', tag: g, count: 2 }));
  pair((g) => ({ kind: 'Tfsync', tag: g, fid: 2, datasync: 0 }), (g) => ({ kind: 'Rfsync', tag: g }));
  pair((g) => ({ kind: 'Twalk', tag: g, fid: 1, newfid: 3, wnames: ['pub'] }), (g) => ({ kind: 'Rwalk', tag: g, wqids: [q(0x80, 3n)] }));
  pair((g) => ({ kind: 'Tlcreate', tag: g, fid: 3, name: 'new.txt', flags: 0o102, mode: 0o644, gid: 0 }), (g) => ({ kind: 'Rlcreate', tag: g, qid: q(0, 5n), iounit: 4096 }));
  pair((g) => ({ kind: 'Twalk', tag: g, fid: 1, newfid: 4, wnames: [] }), (g) => ({ kind: 'Rwalk', tag: g, wqids: [] }));
  pair((g) => ({ kind: 'Tmkdir', tag: g, dfid: 4, name: 'd', mode: 0o755, gid: 0 }), (g) => ({ kind: 'Rmkdir', tag: g, qid: q(0x80, 6n) }));
  pair((g) => ({ kind: 'Tsymlink', tag: g, fid: 4, name: 'l', symtgt: '/etc/passwd', gid: 0 }), (g) => ({ kind: 'Rsymlink', tag: g, qid: q(0x02, 7n) }));
  pair((g) => ({ kind: 'Tmknod', tag: g, dfid: 4, name: 'sda', mode: 0o60660, major: 8, minor: 0, gid: 6 }), (g) => ({ kind: 'Rmknod', tag: g, qid: q(0, 8n) }));
  pair((g) => ({ kind: 'Tlink', tag: g, dfid: 4, fid: 2, name: 'hard' }), (g) => ({ kind: 'Rlink', tag: g }));
  pair((g) => ({ kind: 'Twalk', tag: g, fid: 4, newfid: 5, wnames: ['l'] }), (g) => ({ kind: 'Rwalk', tag: g, wqids: [q(0x02, 7n)] }));
  pair((g) => ({ kind: 'Treadlink', tag: g, fid: 5 }), (g) => ({ kind: 'Rreadlink', tag: g, target: '/etc/passwd' }));
  pair((g) => ({ kind: 'Trename', tag: g, fid: 5, dfid: 4, name: 'l2' }), (g) => ({ kind: 'Rrename', tag: g }));
  pair((g) => ({ kind: 'Trenameat', tag: g, olddirfid: 4, oldname: 'hard', newdirfid: 4, newname: 'hard2' }), (g) => ({ kind: 'Rrenameat', tag: g }));
  pair((g) => ({ kind: 'Tunlinkat', tag: g, dirfid: 4, name: 'd', flags: 0x200 }), (g) => ({ kind: 'Runlinkat', tag: g }));
  pair((g) => ({ kind: 'Tstatfs', tag: g, fid: 1 }), (g) => ({ kind: 'Rstatfs', tag: g, type: 0xef53, bsize: 4096, blocks: 1000n, bfree: 500n, bavail: 400n, files: 100n, ffree: 50n, fsid: 0x1234n, namelen: 255 }));
  pair((g) => ({ kind: 'Txattrwalk', tag: g, fid: 2, newfid: 6, name: 'user.a' }), (g) => ({ kind: 'Rxattrwalk', tag: g, size: 3n }));
  pair((g) => ({ kind: 'Txattrcreate', tag: g, fid: 6, name: 'user.b', attr_size: 3n, flags: 0 }), (g) => ({ kind: 'Rxattrcreate', tag: g }));
  pair((g) => ({ kind: 'Tlock', tag: g, fid: 2, type: 1, flags: 0, start: 0n, length: 0n, proc_id: 42, client_id: 'guest' }), (g) => ({ kind: 'Rlock', tag: g, status: 0 }));
  pair((g) => ({ kind: 'Tgetlock', tag: g, fid: 2, type: 0, start: 0n, length: 0n, proc_id: 42, client_id: 'guest' }), (g) => ({ kind: 'Rgetlock', tag: g, type: 2, start: 0n, length: 0n, proc_id: 0, client_id: '' }));
  pair((g) => ({ kind: 'Twalk', tag: g, fid: 1, newfid: 7, wnames: ['pub'] }), (g) => ({ kind: 'Rwalk', tag: g, wqids: [q(0x80, 3n)] }));
  pair((g) => ({ kind: 'Tlopen', tag: g, fid: 7, flags: 0o200000 }), (g) => ({ kind: 'Rlopen', tag: g, qid: q(0x80, 3n), iounit: 0 }));
  pair((g) => ({ kind: 'Treaddir', tag: g, fid: 7, offset: 0n, count: 8192 }), (g) => ({ kind: 'Rreaddir', tag: g, entries: [
    { qid: q(0x80, 3n), offset: 1n, type: 4, name: '.' }, { qid: q(0x80, 2n), offset: 2n, type: 4, name: '..' }, { qid: q(0, 4n), offset: 3n, type: 8, name: 'a.txt' },
  ] }));
  pair((g) => ({ kind: 'Tflush', tag: g, oldtag: 1 }), (g) => ({ kind: 'Rflush', tag: g }));
  pair((g) => ({ kind: 'Tremove', tag: g, fid: 3 }), (g) => ({ kind: 'Rremove', tag: g }));
  pair((g) => ({ kind: 'Tclunk', tag: g, fid: 2 }), (g) => ({ kind: 'Rclunk', tag: g }));
  pair((g) => ({ kind: 'Tclunk', tag: g, fid: 99 }), (g) => ({ kind: 'Rlerror', tag: g, ecode: 9 }));
  return pairs;
}
