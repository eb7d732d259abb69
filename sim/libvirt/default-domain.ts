// A small domain with one proxy <filesystem>: the playground's starting point and the CLI's example.
// It follows the 2012 grammar plus the patch (libvirt.md §1, §4); under the 9.0 era it shows
// libvirt's refusal of <driver type='proxy'/>.
export const DEFAULT_DOMAIN_XML = `<domain type='qemu'>
  <name>guest</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='KiB'>219136</memory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <boot dev='hd'/>
  </os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <filesystem type='mount' accessmode='passthrough'>
      <driver type='proxy'/>
      <source dir='/export/to/guest'/>
      <target dir='tag0'/>
    </filesystem>
  </devices>
</domain>
`;
