// The simulated shell commands against the REAL GNU coreutils 9.1 (Debian 12) on this machine: the same
// tree is built in a temporary directory and in a simulated kernel, the same command lines run in both
// (cwd = the tree), and stdout, stderr and exit status must be identical. Needs root (mknod, chown).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kernel, O_CREAT, O_WRONLY, unwrap, utf8Encode } from '../../sim/host/index.ts';
import { KernelOs } from '../../sim/shell/kernel-os.ts';
import { Shell } from '../../sim/shell/shell.ts';
import { inCI, isRoot } from '../support/real-components.ts';

const haveCoreutils = existsSync('/usr/bin/stat') && existsSync('/bin/bash') && isRoot();
if (!haveCoreutils && !inCI) console.warn('\n!!! SKIPPING the GNU differential shell test: needs root, /bin/bash and coreutils (apt-get install -y coreutils bash)\n');

// Set-up commands, run in both worlds before the compared ones (their output is not compared).
const SETUP = [
  'mkdir d sub', 'echo hello > f', 'echo "two words" > d/inner', 'ln -s f l', 'ln -s nowhere dangling', 'ln f hard',
  'mknod b b 8 0', 'mknod c c 1 3', 'mkfifo p', 'chmod 4755 f', 'chown 1000:42 d/inner', 'chmod 0750 d',
  'touch -d @1500000000 f d d/inner l b c p sub hard', 'touch -h -d @1500000000 l dangling', 'touch -d @1500000000 . ..', 'chmod 755 . ..',
];

// Every line here is compared: stdout, stderr, exit status.
const COMPARED = [
  'ls', 'ls -a', 'ls -A', 'ls -l', 'ls -la', 'ls -ln d', 'ls -ld d', 'ls -l l', 'ls l', 'ls d f', 'ls nope', 'ls -l nope f',
  'cat f', 'cat d/inner f', 'cat nope', 'cat d',
  // As an unprivileged user (util-linux setpriv): permission errors.
  'setpriv --reuid=1000 --regid=1000 --clear-groups cat d/inner',
  'setpriv --reuid=1000 --regid=1000 --clear-groups ls d',
  'setpriv --reuid=1000 --regid=1000 --clear-groups mkdir sub/x',
  'setpriv --reuid=1000 --regid=1000 --clear-groups touch f',
  'setpriv --reuid=1000 --regid=1000 --clear-groups chmod 777 f',
  'setpriv --reuid=1000 --regid=1000 --clear-groups chown 1000 f',
  'setpriv --reuid=1000 --regid=1000 --clear-groups rm f',
  'setpriv --reuid=1000 --regid=1000 --clear-groups ln -s f sub/l',
  'setpriv --reuid=1000 --regid=1000 --clear-groups id',
  'setpriv --reuid=1000 --regid=1000 --clear-groups stat -c %U d/inner',
  'setpriv --reuid=1000 --regid=1000 --clear-groups truncate -s 0 f',
  'setpriv --reuid=1000 --regid=1000 --clear-groups mknod sub/c c 1 3',

  'stat -c "%a %A %F %s %h %u %g %U %G %n %N %t %T" f d l b c p dangling',
  'stat -c "%y %Y" f', 'stat nope', 'stat f b c p d l dangling', 'readlink l', 'readlink f', 'readlink dangling',
  'mkdir d', 'mkdir -p d/x/y', 'ls d/x', 'rmdir d', 'rmdir nope', 'rm d', 'rm nope', 'rm -f nope',
  'ln -s f l', 'ln f hard', 'ln -s f d', 'ls d', 'ln nope x',
  'chmod 600 f', 'stat -c %a f', 'chmod u+x,g-r,o= f', 'stat -c %A f', 'chmod 755 nope', 'chmod a+X d', 'stat -c %A d',
  'chown 1000 f', 'stat -c "%U:%G" f', 'chown :42 f', 'stat -c "%u:%g" f', 'chown -h 1000:1000 l', 'stat -c "%u:%g %N" l', 'chown nobodyxyz f', 'chown 0 nope',
  'touch -m -d @1600000000.25 f', 'stat -c "%y" f', 'touch newfile', 'ls -l newfile', 'touch -c nothere', 'ls nothere',
  'truncate -s 3 f', 'cat f', 'truncate -s 10 f', 'stat -c %s f', 'truncate -s 0 nope/x',
  'mknod c2 c 1 3', 'stat -c "%F %t %T %a" c2', 'mknod c2 c 1 3', 'mknod p2 p', 'stat -c %F p2', 'mkfifo p2',
  'mv f g', 'ls', 'mv nope x', 'mv g d', 'ls d', 'mv d/g f',
  'echo hi > e', 'cat e', 'echo more >> e', 'cat e', 'echo x > d/nope/y', 'echo -n abc > e2', 'cat e2',
  'rm -r sub d', 'ls', 'rm hard e e2 c2 p2', 'ls -l',
  'id', 'true && echo yes', 'false || echo no', 'false && echo never', 'true; echo a; false', 'nosuchcmd',
];

function buildSim(): Shell {
  const k = new Kernel({ rootFs: 'ext4' });
  const t = k.init;
  const put = (p: string, text: string) => {
    const fd = unwrap(k.open(t, p, O_CREAT | O_WRONLY, 0o644));
    unwrap(k.write(t, fd, utf8Encode(text)));
    unwrap(k.close(t, fd));
  };
  unwrap(k.mkdir(t, '/etc', 0o755));
  // The same NSS files as the real machine, so user and group names agree.
  put('/etc/passwd', readFileSync('/etc/passwd', 'utf8'));
  put('/etc/group', readFileSync('/etc/group', 'utf8'));
  unwrap(k.mkdir(t, '/x', 0o755));
  unwrap(k.mkdir(t, '/x/w', 0o755));
  const os = new KernelOs(k, k.spawn({ comm: 'bash' }), { machine: 'host' });
  const sh = new Shell(os);
  expect(sh.run('cd /x/w').exit).toBe(0);
  return sh;
}

function runReal(dir: string, line: string): { stdout: string; stderr: string; exit: number } {
  const r = spawnSync('/bin/bash', ['--norc', '--noprofile', '-c', line], { cwd: dir, env: { PATH: '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC', HOME: '/nonexistent' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  // bash -c prefixes its own messages with "bash: line 1: "; an interactive shell (our model) says "bash: ".
  return { stdout: r.stdout, stderr: r.stderr.replace(/^(\/bin\/)?bash: line 1: /gm, 'bash: '), exit: r.status ?? -1 };
}

describe.skipIf(!haveCoreutils && !inCI)('shell commands vs GNU coreutils 9.1 (real programs)', () => {
  it('produces the same stdout, stderr and exit status for every compared line', () => {
    expect(haveCoreutils, 'needs root, bash and coreutils').toBe(true);
    const base = mkdtempSync(join(tmpdir(), 'vlab-gnu-'));
    const dir = join(base, 'w');
    try {
      execFileSync('/bin/mkdir', ['-m', '755', dir]);
      const sh = buildSim();
      // The simulated clock starts at the real time, so "recent" means the same in both worlds.
      sh.os instanceof KernelOs && sh.os.kernel.clock.set(BigInt(Date.now()) * 1_000_000n);
      for (const line of SETUP) {
        const real = runReal(dir, line);
        const sim = sh.run(line);
        expect([line, real.exit], real.stderr).toEqual([line, 0]);
        expect([line, sim.exit], sim.stderr).toEqual([line, 0]);
      }
      // "Recent" in ls -l depends on now: the simulated clock starts 2023-11-14, the real one is later;
      // every compared time is from 2017/2020, more than six months before both.
      const mismatches: string[] = [];
      for (const line of COMPARED) {
        const real = runReal(dir, line);
        const sim = sh.run(line);
        const a = { stdout: sim.stdout, stderr: sim.stderr, exit: sim.exit };
        // Files touched "now" show ls's recent format (%b %e %H:%M): compare the format, not the minute.
        const recent = /\b[A-Z][a-z]{2} [ \d]\d \d\d:\d\d\b/g;
        a.stdout = a.stdout.replace(recent, '<recent>');
        real.stdout = real.stdout.replace(recent, '<recent>');
        // stat's default format: inode and device numbers, times and the birth time (the simulated
        // ext4 has no btime) differ by nature; the layout around them must not.
        const volatile = (t: string) => t
          .replace(/^Device: \d+,\d+\tInode: \d+ +Links/gm, 'Device: D\tInode: I Links')
          .replace(/^(Access|Modify|Change): \d{4}-.*$/gm, '$1: T').replace(/^ Birth: .*$/gm, ' Birth: B');
        if (line.startsWith('stat f ')) { a.stdout = volatile(a.stdout); real.stdout = volatile(real.stdout); }
        if (JSON.stringify(a) !== JSON.stringify(real)) mismatches.push(`$ ${line}\n  real: ${JSON.stringify(real)}\n  sim:  ${JSON.stringify(a)}`);
      }
      expect(mismatches.join('\n')).toBe('');
      console.log(`gnu differential: ${COMPARED.length} command lines identical to coreutils ${execFileSync('/usr/bin/stat', ['--version'], { encoding: 'utf8' }).split('\n')[0]}`);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
