// The exporters on a trace of the real assembled system (sim/lab: host kernel, libvirtd's launch,
// the simulated helper, QEMU's 9p server with the proxy driver), not on hand-made events: the
// pcapng is dissected by tshark, the JSON round-trips byte for byte, the text and Mermaid views
// cover every event. Assertions are about the trace layer; what QEMU and the helper do is tested
// in their own suites.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Kernel } from '../../sim/host/kernel.ts';
import { loadTree } from '../../sim/host/tree.ts';
import { launchLab } from '../../sim/lab/lab.ts';
import { proxySpec } from '../../sim/lab/launch-specs.ts';
import { decodeMessage, encodeMessage, type P9Message, specByName } from '../../sim/p9/index.ts';
import {
  exportJson, exportMermaid, exportPcapng, exportText, filterEvents, importJson, parseFilter, TraceRecorder, type P9Event,
} from '../../sim/trace/index.ts';
import { haveReal, REAL } from '../support/real-components.ts';

const T = { sec: 1_700_000_000, nsec: 0 };

function labTrace(): TraceRecorder {
  const kernel = new Kernel({ rootFs: 'ext4' });
  loadTree(kernel, '/', [
    { path: 'srv', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: T, atime: T },
    { path: 'srv/export', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: T, atime: T },
    { path: 'srv/export/hello.txt', type: 'file', mode: 0o644, uid: 0, gid: 0, content: 'hello\n', mtime: T, atime: T },
  ]);
  const recorder = new TraceRecorder({ tickNs: 1000 });
  const lab = launchLab(proxySpec({ exportPath: '/srv/export' }), { kernel, qemuVersion: '7.2.22', recorder });
  let tag = 0;
  const rpc = (m: Omit<P9Message, 'tag'>, t = tag++) => decodeMessage(lab.transport().request(encodeMessage({ ...m, tag: t } as P9Message)));
  rpc({ kind: 'Tversion', msize: 8192, version: '9P2000.L' } as P9Message, 0xffff);
  rpc({ kind: 'Tattach', fid: 0, afid: 0xffffffff, uname: '', aname: '', n_uname: 0 } as P9Message);
  rpc({ kind: 'Twalk', fid: 0, newfid: 1, wnames: ['hello.txt'] } as P9Message);
  rpc({ kind: 'Tgetattr', fid: 1, request_mask: 0x3fffn } as P9Message);
  rpc({ kind: 'Tlopen', fid: 1, flags: 0 } as P9Message);
  rpc({ kind: 'Tread', fid: 1, offset: 0n, count: 100 } as P9Message);
  rpc({ kind: 'Twalk', fid: 0, newfid: 2, wnames: ['missing'] } as P9Message);
  rpc({ kind: 'Tclunk', fid: 1 } as P9Message);
  return recorder;
}

const dir = mkdtempSync(join(tmpdir(), 'virtfs-lab-labtrace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exporters on a trace of the assembled proxy setup', () => {
  const rec = labTrace();
  const p9 = rec.events.filter((e): e is P9Event => e.kind === 'p9');

  it('the run produced every lane and kind the trace model has for this setup', () => {
    expect(new Set(rec.events.map((e) => e.lane))).toEqual(new Set(['libvirt', 'guest', 'qemu', 'helper']));
    for (const k of ['launch', 'p9', 'proxy', 'syscall']) expect(rec.events.some((e) => e.kind === k)).toBe(true);
    // What we sent, each request answered by exactly one reply linked to it (which reply is QEMU's
    // business, tested in test/qemu-server).
    const requests = p9.filter((e) => e.direction === 'request');
    expect(requests.map((e) => e.msgType)).toEqual(['Tversion', 'Tattach', 'Twalk', 'Tgetattr', 'Tlopen', 'Tread', 'Twalk', 'Tclunk']);
    for (const q of requests) expect(p9.filter((e) => e.replyTo === q.id)).toHaveLength(1);
    // proxy-protocol.md §14: Tattach causes T_LSTAT; the helper's syscalls hang below the frames.
    const attach = p9.find((e) => e.msgType === 'Tattach')!;
    expect(filterEvents(rec.events, parseFilter(`cause:${attach.id} kind:proxy`)).length).toBeGreaterThan(0);
    expect(filterEvents(rec.events, parseFilter(`cause:${attach.id} lane:helper kind:syscall`)).length).toBeGreaterThan(0);
  });

  it('JSON: export → import → export is byte-identical (messages in wire key order)', () => {
    const text = exportJson(rec.events, { scenario: 'lab-trace' });
    const doc = importJson(text);
    // toEqual ignores key order: QEMU's sink builds replies with `tag` last, the importer in wire order.
    expect(doc.events).toEqual(rec.events);
    expect(exportJson(doc.events, doc.meta)).toBe(text);
  });

  it('text and Mermaid: one line per event', () => {
    expect(exportText(rec.events).trimEnd().split('\n')).toHaveLength(rec.size);
    const m = exportMermaid(rec.events).trimEnd().split('\n');
    expect(m).toHaveLength(rec.size + 6); // header + five participants (libvirt present)
    expect(m.filter((l) => l.startsWith('  G->>Q: ')).length).toBe(p9.filter((e) => e.direction === 'request').length);
  });

  it.skipIf(!haveReal(REAL.tshark))('pcapng: tshark sees each 9P message with its type and tag, and the proxy bytes', () => {
    const file = join(dir, 'lab.pcapng');
    writeFileSync(file, exportPcapng(rec.events));
    const run = (...a: string[]) => execFileSync(REAL.tshark.path, ['-r', file, ...a], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n').filter(Boolean).map((l) => l.split('\t'));
    const rows = run('-Y', '9p', '-T', 'fields', '-e', '9p.msgtype', '-e', '9p.tag', '-e', '_ws.col.Info');
    expect(rows.map(([t, g]) => [Number(t), Number(g)])).toEqual(p9.map((e) => [specByName(e.msgType)!.type, e.tag]));
    expect(rows.filter((r) => r[2]!.includes('Malformed'))).toEqual([]);
    // tcp.payload shows a segment's bytes; proxy frames travel one per segment.
    const proxy = run('-Y', 'tcp.port == 10564 && tcp.len > 0', '-T', 'fields', '-e', 'tcp.payload').map((r) => r[0]);
    expect(proxy).toEqual(rec.events.filter((e) => e.kind === 'proxy').map((e) => Buffer.from((e as { bytes: Uint8Array }).bytes).toString('hex')));
  });
});
