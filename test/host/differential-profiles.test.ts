// The ext4 and tmpfs profiles against real ext4 and tmpfs on this machine: directory sizes and link
// counts as entries come and go, symlink block thresholds, sparse files, file block rounding. Uses a
// directory on each filesystem type when one is mounted (the temporary directory for ext4, /dev/shm
// for tmpfs); skipped loudly otherwise.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kernel, O_CREAT, O_WRONLY, type Process } from '../../sim/host/index.ts';

function fsTypeOf(dir: string): string {
  let best = { len: -1, type: '' };
  for (const line of fs.readFileSync('/proc/mounts', 'utf8').split('\n')) {
    const [, mnt, type] = line.split(' ');
    if (mnt && type && (dir === mnt || dir.startsWith(mnt === '/' ? '/' : mnt + '/')) && mnt.length > best.len) best = { len: mnt.length, type };
  }
  return best.type;
}

type Act = ['mkdir', string] | ['file', string, number] | ['sparse', string, number] | ['symlink', number, string] | ['unlink', string] | ['rmdir', string];
const ACTS: Act[] = [
  ['mkdir', 'd'], ['mkdir', 'd/e'], ['file', 'd/f', 12], ['file', 'd/big', 5000], ['sparse', 'd/s', 100000],
  ['symlink', 59, 'd/l59'], ['symlink', 60, 'd/l60'], ['symlink', 127, 'd/l127'], ['symlink', 128, 'd/l128'],
  ['mkdir', 'd/e2'], ['rmdir', 'd/e2'], ['unlink', 'd/l59'], ['file', 'd/' + 'n'.repeat(200), 0],
];

interface Row { path: string; size: number; blocks: number; nlink: number; blksize: number }
function realRun(base: string): Row[] {
  for (const a of ACTS) {
    const p = path.join(base, a[0] === 'symlink' ? a[2] : a[1]);
    if (a[0] === 'mkdir') fs.mkdirSync(p);
    else if (a[0] === 'file') fs.writeFileSync(p, Buffer.alloc(a[2], 0x61));
    else if (a[0] === 'sparse') { const fd = fs.openSync(p, 'w'); fs.writeSync(fd, Buffer.from('x'), 0, 1, a[2]); fs.closeSync(fd); }
    else if (a[0] === 'symlink') fs.symlinkSync('t'.repeat(a[1]), p);
    else if (a[0] === 'unlink') fs.unlinkSync(p);
    else fs.rmdirSync(p);
  }
  const rows: Row[] = [];
  const walk = (rel: string): void => {
    const st = fs.lstatSync(path.join(base, rel));
    rows.push({ path: rel, size: st.size, blocks: st.blocks, nlink: st.nlink, blksize: st.blksize });
    if (st.isDirectory()) for (const n of fs.readdirSync(path.join(base, rel)).sort()) walk(rel ? rel + '/' + n : n);
  };
  walk('d');
  return rows;
}

function simRun(profile: 'ext4' | 'tmpfs'): Row[] {
  const k = new Kernel({ rootFs: profile });
  const t: Process = k.init;
  k.umask(t, 0);
  for (const a of ACTS) {
    const p = '/' + (a[0] === 'symlink' ? a[2] : a[1]);
    if (a[0] === 'mkdir') k.mkdir(t, p, 0o755);
    else if (a[0] === 'file') { const fd = k.open(t, p, O_CREAT | O_WRONLY, 0o644); if (fd.ok) { if (a[2]) k.write(t, fd.value, new Uint8Array(a[2]).fill(0x61)); k.close(t, fd.value); } }
    else if (a[0] === 'sparse') { const fd = k.open(t, p, O_CREAT | O_WRONLY, 0o644); if (fd.ok) { k.pwrite(t, fd.value, new Uint8Array([0x78]), a[2]); k.close(t, fd.value); } }
    else if (a[0] === 'symlink') k.symlink(t, 't'.repeat(a[1]), p);
    else if (a[0] === 'unlink') k.unlink(t, p);
    else k.rmdir(t, p);
  }
  const rows: Row[] = [];
  const walk = (rel: string): void => {
    const st = k.lstat(t, '/' + rel);
    if (!st.ok) throw new Error(rel);
    rows.push({ path: rel, size: st.value.size, blocks: st.value.blocks, nlink: st.value.nlink, blksize: st.value.blksize });
    if ((st.value.mode & 0o170000) === 0o040000) {
      const fd = k.open(t, '/' + rel, 0o200000);
      if (!fd.ok) throw new Error(rel);
      const names = (k.getdents(t, fd.value) as { value: { name: string }[] }).value.map((e) => e.name).filter((n) => n !== '.' && n !== '..').sort();
      k.close(t, fd.value);
      for (const n of names) walk(rel + '/' + n);
    }
  };
  walk('d');
  return rows;
}

const places: [string, 'ext4' | 'tmpfs'][] = [];
if (process.platform === 'linux') {
  const tmp = fs.realpathSync(os.tmpdir());
  if (fsTypeOf(tmp) === 'ext4') places.push([tmp, 'ext4']);
  if (fs.existsSync('/dev/shm') && fsTypeOf('/dev/shm') === 'tmpfs') places.push(['/dev/shm', 'tmpfs']);
}
for (const want of ['ext4', 'tmpfs'] as const) {
  if (!places.some((p) => p[1] === want)) console.warn(`\n!!! SKIPPING the ${want} profile differential: no ${want} directory mounted here\n`);
}

describe.each(places)('profile differential in %s (%s)', (where, profile) => {
  it(`directory sizes, link counts, symlink and file blocks match real ${profile}`, () => {
    const base = fs.mkdtempSync(path.join(where, 'virtfs-lab-prof-'));
    try {
      expect(simRun(profile)).toEqual(realRun(base));
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
