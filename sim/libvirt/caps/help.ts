// libvirt 0.10.2's `-help` probe: qemuCapsParseHelpStr + the parts of qemuCapsComputeCmdFlags that
// shape the command lines virtfs-lab builds.
//
// Source: libvirt.md §2.1 (version banner), §2.2 (fsdev probes; the patch's `sock_fd` probe). Each
// fsdev sub-search runs from the FIRST "-fsdev" to the END of the whole help text, so a later
// mention (e.g. in the -virtfs lines) matches too; that is reproduced, not fixed.

import { LibvirtError } from '../errors.ts';
import type { CapName } from './names.ts';

export interface HelpCaps {
  /** major * 1000000 + minor * 1000 + micro (qemu-1.2.0 → 1002000). */
  version: number;
  isKvm: boolean;
  kvmVersion: number;
  flags: Set<CapName>;
}

/** A fixture that records the command before the output ("$ qemu-system-x86_64 -help\n(rc=0)\n…"). */
const TRANSCRIPT = /^\$ [^\n]*\n\(rc=\d+\)\n/;

/** Whether `text` is a recorded transcript rather than the bare help output (fixtures/qemu-help/qemu-7.2.22). */
export function isHelpTranscript(text: string): boolean {
  return TRANSCRIPT.test(text);
}

/** The help output inside a transcript; bare help text is returned unchanged. */
export function unwrapHelpTranscript(text: string): string {
  return text.replace(TRANSCRIPT, '');
}

function skipBlanks(s: string, i: number): number {
  while (s[i] === ' ' || s[i] === '\t') i++;
  return i;
}

function readNumber(s: string, i: number): [number, number] | null {
  let j = i;
  while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
  if (j === i) return null;
  return [parseInt(s.slice(i, j), 10), j];
}

/**
 * qemuCapsParseHelpStr: the banner must start the text ("QEMU emulator version" or
 * "QEMU PC emulator version"), then major.minor[.micro], then optionally "(qemu-kvm-" or "(kvm-NN".
 * Failure: INTERNAL_ERROR "cannot parse %s version number in '%.*s'" with the first line.
 */
export function parseHelpVersion(help: string, binary = 'QEMU'): { version: number; isKvm: boolean; kvmVersion: number } {
  const fail = () => {
    const nl = help.indexOf('\n');
    const first = nl < 0 ? help : help.slice(0, nl);
    return new LibvirtError('INTERNAL_ERROR', `cannot parse ${binary} version number in '${first}'`);
  };
  let p: number;
  if (help.startsWith('QEMU emulator version')) p = 'QEMU emulator version'.length;
  else if (help.startsWith('QEMU PC emulator version')) p = 'QEMU PC emulator version'.length;
  else throw fail();
  p = skipBlanks(help, p);
  const major = readNumber(help, p);
  if (!major || help[major[1]] !== '.') throw fail();
  const minor = readNumber(help, major[1] + 1);
  if (!minor) throw fail();
  p = minor[1];
  let micro = 0;
  if (help[p] === '.') {
    const m = readNumber(help, p + 1);
    if (!m) throw fail();
    micro = m[0];
    p = m[1];
  }
  p = skipBlanks(help, p);
  let isKvm = false;
  let kvmVersion = 0;
  if (help.startsWith('(qemu-kvm-', p)) {
    // "(qemu-kvm-devel)" also starts like this: qemu-kvm-1.2.0 gets is_kvm = 1 (libvirt.md §2.1).
    isKvm = true;
  } else if (help.startsWith('(kvm-', p)) {
    const k = readNumber(help, p + 5);
    if (!k) throw fail();
    isKvm = true;
    kvmVersion = k[0];
  }
  return { version: major[0] * 1000000 + minor[0] * 1000 + micro, isKvm, kvmVersion };
}

/**
 * The capability flags of qemuCapsComputeCmdFlags that matter for the command lines built here.
 * `withProxyPatch` adds the patch's `strstr(fsdev, "sock_fd")` → QEMU_CAPS_FSDEV_PROXY.
 */
export function computeHelpFlags(help: string, version: number, isKvm: boolean, withProxyPatch: boolean): Set<CapName> {
  const f = new Set<CapName>();
  const has = (s: string) => help.includes(s);
  if (has('-enable-kvm')) f.add('enable-kvm');
  if (has('-no-kvm')) f.add('kvm');
  if (has('-name')) f.add('name');
  if (has('-uuid')) f.add('uuid');
  if (has('-drive')) f.add('drive');
  if (has('-device')) f.add('device');
  if (has('-nodefconfig')) f.add('nodefconfig');
  if (has('-no-user-config')) f.add('no-user-config');
  if (has('-rtc')) f.add('rtc');
  if (has('-no-acpi')) f.add('no-acpi');
  if (has('-chardev')) f.add('chardev');
  if (has('-balloon')) f.add('balloon');
  // -netdev exists in 0.12 but libvirt ignores it there (no netdev_add/remove): version ≥ 0.13.
  if (has('-netdev') && version >= 13000) f.add('netdev');
  // JSON monitor from 0.13 on (libvirt built with yajl, as every distribution build was).
  if (version >= 13000) f.add('monitor-json');
  if (has('-no-shutdown') && version >= 13000) f.add('no-shutdown');
  const at = help.indexOf('-fsdev');
  if (at >= 0) {
    f.add('fsdev');
    const rest = help.slice(at); // from the first -fsdev to the END of the text (libvirt.md §2.2)
    if (rest.includes('readonly')) f.add('fsdev-readonly');
    if (rest.includes('writeout')) f.add('fsdev-writeout');
    if (withProxyPatch && rest.includes('sock_fd')) f.add('fsdev-proxy');
  }
  void isKvm;
  return f;
}

/** The whole -help probe of libvirt 0.10.2 (plus the patch's flag). */
export function capsFromHelp(helpText: string, withProxyPatch = true): HelpCaps {
  const { version, isKvm, kvmVersion } = parseHelpVersion(helpText);
  return { version, isKvm, kvmVersion, flags: computeHelpFlags(helpText, version, isKvm, withProxyPatch) };
}

/** "1.2.0" from 1002000. */
export function versionString(v: number): string {
  return `${Math.floor(v / 1000000)}.${Math.floor(v / 1000) % 1000}.${v % 1000}`;
}
