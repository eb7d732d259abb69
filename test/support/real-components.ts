// Tests that need a real component (Chromium, Debian's virtfs-proxy-helper, qemu-system-x86_64,
// virsh, tshark, clang). Under CI=true such a test must run and fail when the component is missing
// (DEVELOPERS.md); outside CI it is skipped with a loud message saying how to install it.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export const inCI = process.env.CI === 'true' || process.env.CI === '1';

export interface RealComponent {
  name: string;
  /** Absolute path, or a command name looked up on PATH. */
  path: string;
  install: string;
}

export const REAL = {
  helper: { name: 'virtfs-proxy-helper (QEMU 7.2)', path: '/usr/lib/qemu/virtfs-proxy-helper', install: 'apt-get install -y qemu-system-common' },
  qemu: { name: 'qemu-system-x86_64 (QEMU 7.2)', path: '/usr/bin/qemu-system-x86_64', install: 'apt-get install -y qemu-system-x86' },
  virsh: { name: 'virsh (libvirt 9.0)', path: '/usr/bin/virsh', install: 'apt-get install -y libvirt-clients libvirt-daemon libvirt-daemon-driver-qemu' },
  tshark: { name: 'tshark', path: '/usr/bin/tshark', install: 'apt-get install -y tshark' },
  clang: { name: 'clang (wasm32-wasi)', path: '/usr/bin/clang', install: 'apt-get install -y clang lld wasi-libc libclang-rt-14-dev-wasm32' },
  chromium: { name: 'Chromium', path: '/usr/bin/chromium', install: 'apt-get install -y chromium' },
  python3: { name: 'python3', path: '/usr/bin/python3', install: 'apt-get install -y python3' },
} satisfies Record<string, RealComponent>;

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Whether a test needing `c` should run. Outside CI a missing component is reported loudly and the
 * test is skipped; in CI this returns true regardless, so the test runs and fails on the missing
 * component with a clear message (use `assertPresent` in the test body).
 */
export function haveReal(c: RealComponent): boolean {
  if (present(c)) return true;
  if (inCI) return true;
  console.warn(`\n!!! SKIPPING tests that need ${c.name}: ${c.path} not found. Install it with: sudo ${c.install}\n`);
  return false;
}

export function present(c: RealComponent): boolean {
  if (c.path.startsWith('/')) return existsSync(c.path);
  try { execFileSync('which', [c.path], { stdio: 'ignore' }); return true; } catch { return false; }
}

export function assertPresent(c: RealComponent): void {
  if (!present(c)) throw new Error(`${c.name} is required here but ${c.path} is missing; install it with: ${c.install}`);
}
