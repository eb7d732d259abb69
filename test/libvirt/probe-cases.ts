// Hand-written edge cases found while probing Debian's virsh 9.0 (each pins one observed behaviour);
// test/libvirt/differential-virsh.test.ts runs them through the real virsh and planLaunch alike.

const MEMFD = `\n  <memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>`;
const S = `<source dir='/c'/><target dir='c'/>`;

function domain(devices: string, extra = ''): string {
  return `<domain type='qemu'>
  <name>fstest</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='KiB'>219136</memory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
  </os>${extra}
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    ${devices}
  </devices>
</domain>
`;
}

const NT = `<filesystem><source dir='/a'/></filesystem>`;
const BL = `<filesystem type='block'><source dev='/dev/sdb'/><target dir='b'/></filesystem>`;
const LO = `<filesystem><driver type='loop'/><source dir='/c'/><target dir='c'/></filesystem>`;
const VF = `<filesystem><driver type='virtiofs'/><source dir='/c'/><target dir='c'/></filesystem>`;
const FM = `<filesystem fmode='1644' accessmode='mapped'><source dir='/c'/><target dir='c'/></filesystem>`;

export const PROBE_CASES: Record<string, string> = {
  'space limit not a number': domain(`<filesystem>${S}<space_hard_limit>abc</space_hard_limit></filesystem>`),
  'space limit unknown unit': domain(`<filesystem>${S}<space_hard_limit unit='x'>1</space_hard_limit></filesystem>`),
  'space limit overflow': domain(`<filesystem>${S}<space_hard_limit unit='E'>100</space_hard_limit></filesystem>`),
  'space limit ULLONG_MAX bytes': domain(`<filesystem>${S}<space_soft_limit>18446744073709551615</space_soft_limit></filesystem>`),
  'empty type': domain(`<filesystem type=''>${S}</filesystem>`),
  'fmode not octal': domain(`<filesystem fmode='999'>${S}</filesystem>`),
  'model default refused': domain(`<filesystem model='default'>${S}</filesystem>`),
  'driver format qcow2 on 9p ignored': domain(`<filesystem>${S}<driver format='qcow2'/></filesystem>`),
  'driver format unknown': domain(`<filesystem><driver type='path' format='y'/>${S}</filesystem>`),
  'queue ignored for 9p': domain(`<filesystem>${S}<driver queue='abc'/></filesystem>`),
  'commas: path doubled, tag single': domain(`<filesystem><source dir='/e,x'/><target dir='t,a'/></filesystem>`),
  'relative dir and readonly': domain(`<filesystem><source dir='rel'/><target dir='t'/><readonly/></filesystem><filesystem>${S}</filesystem>`),
  'squash is security_model=none': domain(`<filesystem accessmode='squash'>${S}</filesystem>`),
  'explicit slot then automatic': domain(`<filesystem>${S}<address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/></filesystem><filesystem><source dir='/f'/><target dir='u'/></filesystem>`),
  'user alias kept, plain alias dropped': domain(`<filesystem>${S}<alias name='ua-foo'/></filesystem><filesystem><source dir='/f'/><target dir='u'/><alias name='foo'/></filesystem>`),
  'fmode 0 is unset': domain(`<filesystem accessmode='mapped' fmode='0' dmode='0'>${S}</filesystem>`),
  'wrpolicy default accepted': domain(`<filesystem><driver type='path' wrpolicy='default'/>${S}</filesystem>`),
  'virtiofs memfd': domain(`<filesystem type='mount'><driver type='virtiofs'/>${S}</filesystem>`, MEMFD),
  'virtiofs socket with queue': domain(`<filesystem><driver type='virtiofs' queue='1024'/><source socket='/tmp/s'/><target dir='t'/></filesystem>`, MEMFD),
  'virtiofs socket + readonly accepted': domain(`<filesystem><driver type='virtiofs'/><source socket='/tmp/s'/><target dir='t'/><readonly/></filesystem>`, MEMFD),
  'virtiofs socket + mapped accepted': domain(`<filesystem accessmode='mapped'><driver type='virtiofs'/><source socket='/tmp/s'/><target dir='t'/></filesystem>`, MEMFD),
  'virtiofs socket + wrpolicy accepted': domain(`<filesystem><driver type='virtiofs' wrpolicy='immediate'/><source socket='/tmp/s'/><target dir='t'/></filesystem>`, MEMFD),
  'virtiofs socket without shm': domain(`<filesystem><driver type='virtiofs'/><source socket='/tmp/s'/><target dir='t'/></filesystem>`),
  'virtiofs multidevs': domain(`<filesystem multidevs='remap'><driver type='virtiofs'/><source socket='/tmp/s'/><target dir='t'/></filesystem>`, MEMFD),
  'virtiofs model': domain(`<filesystem model='virtio'><driver type='virtiofs'/>${S}</filesystem>`, MEMFD),
  'virtiofs socket comma doubled': domain(`<filesystem><driver type='virtiofs'/><source socket='/tmp/s,x'/><target dir='t'/></filesystem>`, MEMFD),
  'virtiofs readonly': domain(`<filesystem type='mount'><driver type='virtiofs'/>${S}<readonly/></filesystem>`, MEMFD),
  'shared memory file backend': domain(`<filesystem>${S}</filesystem>`, `\n  <memoryBacking><access mode='shared'/></memoryBacking>`),
  'fmode range': domain(`<filesystem accessmode='mapped' fmode='1644'>${S}</filesystem>`),
  'dmode range after fmode': domain(`<filesystem accessmode='mapped' fmode='777' dmode='1000'>${S}</filesystem>`),
  'fmode range before model': domain(`<filesystem accessmode='mapped' fmode='1644' model='bogus'>${S}</filesystem>`),
  'fmode range before no source': domain(`<filesystem accessmode='mapped' fmode='1644'><target dir='c'/></filesystem>`),
  'accessmode before fmode': domain(`<filesystem accessmode='bogus' fmode='1644'>${S}</filesystem>`),
  'fmode parse before model': domain(`<filesystem model='bogus' fmode='x'>${S}</filesystem>`),
  'space limit before driver': domain(`<filesystem><driver type='path' wrpolicy='x'/>${S}<space_hard_limit>x</space_hard_limit></filesystem>`),
  'driver before missing source': domain(`<filesystem><driver type='bogus'/><target dir='c'/></filesystem>`),
  'ram usage not a number': domain(`<filesystem type='ram'><source usage='x'/></filesystem>`),
  'ram without target': domain(`<filesystem type='ram'><source usage='1024'/></filesystem>`),
  'empty filesystem': domain(`<filesystem></filesystem>`),
  'missing target at validation (block)': domain(`<filesystem type='block'><source dev='/dev/sdb'/></filesystem>`),
  'missing target then block': domain(NT + BL),
  'missing target then loop (PCI first)': domain(NT + LO),
  'block then missing target': domain(BL + NT),
  'virtiofs then missing target': domain(VF + NT),
  'missing target then fmode range (parse first)': domain(NT + FM),
  'block then virtiofs': domain(BL + VF),
  'boot order before type': domain(`<filesystem type='bind'>${S}<boot order='1'/></filesystem>`),
  'boot order before handle accessmode': domain(`<filesystem accessmode='mapped'><driver type='handle'/>${S}<boot order='1'/></filesystem>`),
  'boot order duplicated': domain(`<filesystem><driver type='virtiofs'/>${S}<boot order='2'/></filesystem><filesystem><driver type='virtiofs'/><source dir='/d'/><target dir='d'/><boot order='2'/></filesystem>`, MEMFD),
  'type before fmode': domain(`<filesystem type='bind' fmode='644'>${S}</filesystem>`),
  'fmode before handle accessmode': domain(`<filesystem accessmode='squash' fmode='644'><driver type='handle'/>${S}</filesystem>`),
  'virtiofs mapped with fmode': domain(`<filesystem fmode='644' accessmode='mapped'><driver type='virtiofs'/>${S}</filesystem>`, MEMFD),
  'duplicate 9p tags accepted': domain(`<filesystem>${S}</filesystem><filesystem><source dir='/d'/><target dir='c'/></filesystem>`),
  'duplicate virtiofs tags refused': domain(`<filesystem><driver type='virtiofs'/>${S}</filesystem><filesystem><driver type='virtiofs'/><source dir='/d'/><target dir='c'/></filesystem>`, MEMFD),
  'sandbox on 9p ignored': domain(`<filesystem><binary><sandbox mode='chroot'/></binary>${S}</filesystem>`),
  'virtiofs binary xattr bad': domain(`<filesystem><driver type='virtiofs'/><binary xattr='maybe'/>${S}</filesystem>`, MEMFD),
  'virtiofs cache mode bad': domain(`<filesystem><driver type='virtiofs'/><binary><cache mode='sometimes'/></binary>${S}</filesystem>`, MEMFD),
  'virtiofs sandbox bad': domain(`<filesystem><driver type='virtiofs'/><binary><sandbox mode='jail'/></binary>${S}</filesystem>`, MEMFD),
  'virtiofs lock bad': domain(`<filesystem><driver type='virtiofs'/><binary><lock posix='x'/></binary>${S}</filesystem>`, MEMFD),
  'virtiofs thread pool bad': domain(`<filesystem><driver type='virtiofs'/><binary><thread_pool size='x'/></binary>${S}</filesystem>`, MEMFD),
  'disks, three NICs, no usb, no balloon': domain(`<disk type='file' device='disk'><source file='/tmp/a.img'/><target dev='hda' bus='ide'/></disk><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/tmp/b.img'/><target dev='vdb' bus='virtio'/></disk><interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/></interface><interface type='user'><mac address='52:54:00:00:00:02'/><model type='e1000'/></interface><interface type='user'><mac address='52:54:00:00:00:03'/></interface><filesystem><source dir='/e'/><target dir='t'/></filesystem><controller type='usb' model='none'/><memballoon model='none'/>`),
  'memory not a number': `<domain type='qemu'><name>x</name><memory>abc</memory><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>`,
  'vcpu not a number': `<domain type='qemu'><name>x</name><memory>1024</memory><vcpu>abc</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>`,
  'no name': `<domain type='qemu'><memory>1024</memory><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>`,
  'no memory': `<domain type='qemu'><name>x</name><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>`,
  'syntax: tag mismatch': "<domain type='qemu'>\n  <name>x</name>\n  <memory>1024</memory>\n  <vcpu>1</vcpus>\n</domain>\n",
  'syntax: raw ampersand': "<domain type='qemu'>\n  <name>a & b</name>\n</domain>\n",
  'syntax: premature end': "<domain type='qemu'>\n  <name>x</name>\n  <memory>1024</memory>\n",
  'syntax: unquoted attribute': "<domain type='qemu'>\n  <name>x</name>\n  <target dir=/x/>\n</domain>\n",
  'syntax: attribute without value': "<domain type='qemu'>\n  <name>x</name>\n  <target dir/>\n</domain>\n",
  'syntax: undefined entity': "<domain type='qemu'>\n  <name>&nope;</name>\n</domain>\n",
  'syntax: second root': "<domain type='qemu'><name>x</name></domain>\n<domain/>\n",
  'syntax: text after root': "<domain type='qemu'><name>x</name></domain>\njunk\n",
  'syntax: repeated attribute': "<domain type='qemu'>\n  <target dir='x' dir='y'/>\n</domain>\n",
  'syntax: < in attribute': "<domain type='qemu'>\n  <name>x</name>\n  <target dir='a<b'/>\n</domain>\n",
  'zero vcpus': `<domain type='qemu'><name>x</name><memory>1024</memory><vcpu>0</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>`,
};
