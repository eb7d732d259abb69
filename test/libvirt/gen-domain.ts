// Seeded random domain XMLs for the differential test against the real libvirt 9.0: mostly valid
// combinations of every <filesystem> attribute and child libvirt 9.0 knows, some invalid values, and
// the devices that move PCI addresses (virtio/ide disks, user-mode NICs, balloon, USB controller).

/** mulberry32: a small deterministic PRNG (the test prints its seed). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const chance = (r: Rng, p: number) => r() < p;
const q = (s: string) => `'${s.replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/</g, '&lt;')}'`;

export interface GenOptions {
  /** Probability of drawing an invalid value where one is offered. */
  invalid: number;
}

function genFilesystem(r: Rng, o: GenOptions, slots: number[], shared: boolean): string {
  const attrs: string[] = [];
  const bad = () => chance(r, o.invalid);
  const type = bad() ? pick(r, ['block', 'ram', 'bind', 'file', 'template', 'bogus', '']) : pick(r, [undefined, undefined, 'mount']);
  if (type !== undefined) attrs.push(`type=${q(type)}`);
  const driver = bad() ? pick(r, ['loop', 'nbd', 'ploop', 'proxy', 'Path']) : pick(r, [undefined, undefined, 'default', 'path', 'path', 'handle', ...(shared ? ['virtiofs', 'virtiofs'] : ['virtiofs'])]);
  const virtiofs = driver === 'virtiofs';
  const access = bad() ? pick(r, ['squash', 'mapped', 'nope']) : virtiofs ? pick(r, [undefined, 'passthrough']) : pick(r, [undefined, 'passthrough', 'mapped', 'mapped', 'squash']);
  if (access !== undefined) attrs.push(`accessmode=${q(access)}`);
  if (!virtiofs && chance(r, 0.2)) attrs.push(`model=${q(bad() ? pick(r, ['default', 'virtio-scsi']) : pick(r, ['virtio', 'virtio-transitional', 'virtio-non-transitional']))}`);
  if (!virtiofs && chance(r, 0.25)) attrs.push(`multidevs=${q(bad() ? pick(r, ['all', 'default']) : pick(r, ['remap', 'forbid', 'warn']))}`);
  if ((access === 'mapped' && chance(r, 0.4)) || bad()) {
    attrs.push(`fmode=${q(bad() ? pick(r, ['9', 'x']) : pick(r, ['644', '0600', '660']))}`);
    if (chance(r, 0.6)) attrs.push(`dmode=${q(pick(r, ['755', '0700', '2775']))}`);
  }
  const kids: string[] = [];
  if (driver !== undefined || chance(r, 0.15)) {
    const d: string[] = [];
    if (driver !== undefined) d.push(`type=${q(driver)}`);
    if (!virtiofs && chance(r, 0.35)) d.push(`wrpolicy=${q(bad() ? pick(r, ['default', 'later']) : 'immediate')}`);
    if (virtiofs && chance(r, 0.5)) d.push(`queue=${q(bad() ? 'many' : pick(r, ['1024', '256']))}`);
    if (chance(r, 0.08)) d.push(`format=${q(bad() ? 'qcow9' : pick(r, ['raw', 'qcow2']))}`);
    kids.push(`<driver ${d.join(' ')}/>`);
  }
  const dirs = ['/export/to/guest', '/srv/share', '/srv/with,comma', '/srv/a b', 'relative/dir', '/export/ünïcode'];
  if (!chance(r, o.invalid / 3)) {
    if (type === 'ram') kids.push(`<source usage=${q(pick(r, ['1024', '2']))} units='KiB'/>`);
    else if (type === 'block') kids.push(`<source dev='/dev/sdb'/>`);
    else if (type === 'file') kids.push(`<source file='/tmp/img.raw'/>`);
    else if (type === 'template') kids.push(`<source name='tmpl'/>`);
    else if (virtiofs && chance(r, 0.3)) kids.push(`<source socket=${q(pick(r, ['/tmp/vfs.sock', '/run/vfs,1.sock']))}/>`);
    else kids.push(`<source dir=${q(pick(r, dirs))}/>`);
  }
  if (!chance(r, o.invalid / 3)) kids.push(`<target dir=${q(pick(r, ['tag', 'tag', '/import/from/host', 'with,comma', 'x'.repeat(31), 'häst']))}/>`);
  if (chance(r, 0.2)) kids.push('<readonly/>');
  if (chance(r, 0.1)) kids.push(`<space_hard_limit unit=${q(bad() ? 'parsecs' : pick(r, ['KiB', 'G', 'bytes']))}>${bad() ? 'lots' : pick(r, ['1024', '5'])}</space_hard_limit>`);
  if (chance(r, 0.05)) kids.push(`<space_soft_limit>${pick(r, ['2048', '18446744073709551615'])}</space_soft_limit>`);
  if (virtiofs && chance(r, 0.4)) {
    const v = (good: string[], badv: string) => (bad() ? badv : pick(r, good));
    kids.push(`<binary path='/usr/libexec/virtiofsd' xattr=${q(v(['on', 'off'], 'maybe'))}><cache mode=${q(v(['none', 'always'], 'sometimes'))}/>`
      + `<sandbox mode=${q(v(['namespace', 'chroot'], 'jail'))}/><lock posix=${q(v(['on', 'off'], 'x'))} flock=${q(v(['on', 'off'], 'default'))}/>`
      + `<thread_pool size=${q(v(['16', '1'], 'x'))}/></binary>`);
  }
  if (chance(r, 0.1)) kids.push(`<alias name=${q(pick(r, ['ua-share', 'ua-x1', 'plain']))}/>`);
  if (chance(r, virtiofs ? 0.3 : 0.05)) kids.push(`<boot order=${q(pick(r, ['2', '3']))}/>`);
  if (chance(r, 0.12) && slots.length) {
    const slot = slots.splice(Math.floor(r() * slots.length), 1)[0]!;
    kids.push(`<address type='pci' domain='0x0000' bus='0x00' slot='0x${slot.toString(16).padStart(2, '0')}' function='0x0'/>`);
  }
  // libvirt ignores the order of children; shuffle a little to exercise "first <source> wins" paths.
  if (chance(r, 0.3)) kids.reverse();
  return `    <filesystem${attrs.length ? ' ' + attrs.join(' ') : ''}>\n${kids.map((k) => `      ${k}\n`).join('')}    </filesystem>`;
}

export function genDomain(r: Rng, o: GenOptions = { invalid: 0.08 }): string {
  const name = pick(r, ['fstest', 'guest1', 'a-rather-long-domain-name-here', 'vm,comma']);
  const hex = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16)).join('');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const memKiB = pick(r, [219136, 262144, 524288, 1048576, 262656]);
  const vcpu = pick(r, [1, 1, 2, 4]);
  const membacking = pick(r, ['none', 'none', 'memfd', 'shared']);
  const shared = membacking !== 'none';
  const slots = [6, 7, 8, 9, 10, 0x11, 0x1e];
  const devices: string[] = [];
  devices.push('    <emulator>/usr/bin/qemu-system-x86_64</emulator>');
  if (chance(r, 0.35)) {
    const bus = pick(r, ['virtio', 'ide']);
    const dev = bus === 'virtio' ? pick(r, ['vda', 'vdb']) : pick(r, ['hda', 'hdb']);
    const fmt = chance(r, 0.5) ? `<driver name='qemu' type='qcow2'/>` : '';
    if (chance(r, 0.3)) devices.push(`    <disk type='block' device='disk'>${fmt}<source dev='/dev/vg/lv'/><target dev='${dev}' bus='${bus}'/></disk>`);
    else devices.push(`    <disk type='file' device='disk'>${fmt}<source file='/var/lib/images/d.img'/><target dev='${dev}' bus='${bus}'/></disk>`);
  }
  const nfs = pick(r, [1, 1, 2, 3]);
  for (let i = 0; i < nfs; i++) devices.push(genFilesystem(r, o, slots, shared));
  const nnet = pick(r, [0, 0, 1, 2]);
  for (let i = 0; i < nnet; i++) {
    const model = pick(r, ['virtio', 'e1000', undefined]);
    devices.push(`    <interface type='user'><mac address='52:54:00:12:34:${(0x50 + i).toString(16)}'/>${model ? `<model type='${model}'/>` : ''}</interface>`);
  }
  if (chance(r, 0.3)) devices.push(`    <controller type='usb' index='0' model='none'/>`);
  if (chance(r, 0.3)) devices.push(`    <memballoon model='none'/>`);
  const mb = membacking === 'memfd' ? `\n  <memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>`
    : membacking === 'shared' ? `\n  <memoryBacking><access mode='shared'/></memoryBacking>` : '';
  const features = chance(r, 0.2) ? `\n  <features><acpi/></features>` : '';
  return `<domain type='qemu'>
  <name>${name}</name>
  <uuid>${uuid}</uuid>
  <memory unit='KiB'>${memKiB}</memory>
  <vcpu placement='static'>${vcpu}</vcpu>${mb}
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
  </os>${features}
  <devices>
${devices.join('\n')}
  </devices>
</domain>
`;
}
