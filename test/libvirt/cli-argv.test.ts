// `virtfs-lab argv` (issue 2 §4): the JSON contract, the readable plan and the exit statuses.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { DEFAULT_DOMAIN_XML } from '../../sim/libvirt/index.ts';
import { fixturesDir } from './support.ts';

async function run(args: string[]): Promise<{ status: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => { out.push(s); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => { err.push(s); return true; }) as typeof process.stderr.write;
  try {
    const status = await main(['argv', ...args]);
    return { status, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'virtfs-lab-argv-'));
const proxyXml = join(dir, 'proxy.xml');
writeFileSync(proxyXml, DEFAULT_DOMAIN_XML);
const fs9p = join(fixturesDir, 'libvirt-9.0-oracle', '21-three-fs-like-fs9p.xml');

describe('virtfs-lab argv', () => {
  it('--json, corrected on QEMU 7.2: ok, helper argv, whole qemu argv, QEMU starts → exit 0', async () => {
    const r = await run([proxyXml, '--variant', 'corrected', '--qemu-version', '7.2.22', '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.ok).toBe(true);
    expect(j.helper).toEqual(['/usr/lib/qemu/virtfs-proxy-helper', '-n', '-f', '24', '-p', '/export/to/guest']);
    expect(j.qemu[0]).toBe('/usr/bin/qemu-system-x86_64');
    expect(j.qemu).toContain('proxy,id=fsdev-fs0,sock_fd=25');
    expect(j.verdict).toEqual({ starts: true, exitCode: null, stderr: '' });
    expect(Array.isArray(j.notes)).toBe(true);
  });
  it('--json, as posted on QEMU 7.2: ok:true but QEMU refuses path= → exit 1 with its stderr', async () => {
    const r = await run([proxyXml, '--qemu-help', join(fixturesDir, 'qemu-help', 'qemu-7.2.22'), '--json']);
    expect(r.status).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.ok).toBe(true);
    expect(j.verdict.starts).toBe(false);
    expect(j.verdict.stderr).toContain("'path' is invalid for fsdriver 'proxy'");
  });
  it('--json refusal: {"ok":false,"error":{"message":"unsupported configuration: …"}} → exit 1', async () => {
    const r = await run([proxyXml, '--variant', 'corrected', '--qemu-help', join(fixturesDir, 'qemu-help', 'qemu-1.0'), '--json']);
    expect(r.status).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.ok).toBe(false);
    expect(j.error.message).toBe('unsupported configuration: proxy helper not supported');
    expect(j.error.line).toBe(13);
  });
  it('readable plan for libvirt 9.0: one option per line, shell-quoted JSON, verdict (QEMU 7.2 has no handle driver → exit 1)', async () => {
    const r = await run([fs9p, '--era', '9.0']);
    expect(r.status).toBe(1);
    expect(r.out).toContain('helper: none');
    expect(r.out).toContain(`-device '{"driver":"virtio-9p-pci","id":"fs1","fsdev":"fsdev-fs1","mount_tag":"/import/from/host2","bus":"pci.0","addr":"0x3"}' \\\n`);
    expect(r.out).toContain('-fsdev handle,writeout=immediate,id=fsdev-fs2,path=/export/to/guest3 \\\n');
    expect(r.out).toContain('verdict: QEMU exits with status 1');
    expect(r.out).toContain('fsdriver handle not found');
  });
  it('a located refusal without --json goes to stderr as FILE:LINE:COL: error: …', async () => {
    const r = await run([proxyXml, '--era', '9.0']);
    expect(r.status).toBe(1);
    expect(r.err).toContain(`${proxyXml}:13:15: error: XML error: Invalid value for attribute 'type' in element 'driver': 'proxy'.`);
  });
  it('--release/--host reproduce libvirt\'s own fs9p test line (v1.0.0 moved -usb before the disks)', async () => {
    const xml = join(fixturesDir, 'libvirt-xml2argv', 'v1.0.0', 'qemuxml2argv-fs9p.xml');
    const r = await run([xml, '--release', '1.0.0', '--host', 'xml2argv-test', '--json']);
    const j = JSON.parse(r.out);
    expect(j.env).toEqual(['LC_ALL=C', 'PATH=/bin', 'HOME=/home/test', 'USER=test', 'LOGNAME=test']);
    expect(j.qemu.indexOf('-usb')).toBeLessThan(j.qemu.indexOf('-hda'));
    expect((await run([xml, '--release', '2.0'])).status).toBe(2);
  });
  it('usage errors exit 2', async () => {
    expect((await run([])).status).toBe(2);
    expect((await run([proxyXml, '--era', '1.0'])).status).toBe(2);
    expect((await run([proxyXml, '--qemu-version', '7.2', '--qemu-help', proxyXml])).status).toBe(2);
    expect((await run([join(dir, 'missing.xml')])).status).toBe(2);
    expect((await run([proxyXml, '--qemu-version', 'banana'])).status).toBe(2);
  });
});
