// Running Debian's libvirt 9.0 as an oracle (libvirt.md §7): `virsh -c 'qemu:///embed?root=DIR'
// domxml-to-native qemu-argv X.xml` in a clean environment. The embedded QEMU driver needs the
// `libvirt-qemu` user that libvirt-daemon-system's postinst would create; we create it (as root)
// when it is missing, exactly as libvirt.md §7 does.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function ensureLibvirtQemuUser(): void {
  const r = spawnSync('getent', ['passwd', 'libvirt-qemu']);
  if (r.status === 0) return;
  execFileSync('useradd', ['--system', '--no-create-home', '--user-group', '--shell', '/usr/sbin/nologin', 'libvirt-qemu']);
}

export interface OracleRun {
  status: number;
  stdout: string;
  /** The `error: ` lines of stderr, joined with newlines. */
  errors: string;
}

export class VirshOracle {
  readonly root: string;
  readonly work: string;
  constructor(readonly virsh = '/usr/bin/virsh') {
    this.root = mkdtempSync(join(tmpdir(), 'virtfs-lab-embed-'));
    // Without this the capability probe runs QEMU as libvirt-qemu, cannot write under the root-owned
    // embed root, caches nothing and every call re-probes for seconds (observed). libvirt.md §7.
    mkdirSync(join(this.root, 'etc'));
    writeFileSync(join(this.root, 'etc', 'qemu.conf'), 'user = "root"\ngroup = "root"\n');
    this.work = mkdtempSync(join(tmpdir(), 'virtfs-lab-xml-'));
  }
  domxmlToNative(xml: string, name = 'case.xml'): OracleRun {
    const file = join(this.work, name);
    writeFileSync(file, xml);
    const r = spawnSync(this.virsh, ['-q', '-c', `qemu:///embed?root=${this.root}`, 'domxml-to-native', 'qemu-argv', file], {
      env: { PATH: '/usr/bin:/bin', LC_ALL: 'C', HOME: '/root' }, encoding: 'utf8', timeout: 60_000,
    });
    const errors = (r.stderr ?? '').split('\n').filter((l) => l.startsWith('error: ')).join('\n');
    return { status: r.status ?? -1, stdout: r.stdout ?? '', errors };
  }
}
