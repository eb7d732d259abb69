// @vitest-environment happy-dom
// The host editor's chmod / chown / rename controls (web/lib/hosttree/HostEditor.svelte) wired to the
// real applyHostEdit on a simulated kernel: labelled fields, Enter runs the field's own edit (never
// the form's Write file), a refusal keeps what was typed, a rename moves the path field along.
import { describe, expect, it } from 'vitest';
import { fireEvent, render } from '@testing-library/svelte';
import HostEditor from '../../web/lib/hosttree/HostEditor.svelte';
import { applyHostEdit, type HostEdit } from '../../web/lib/hosttree/hostEdit.ts';
import { Kernel, unwrap } from '../../sim/host/index.ts';

const settle = () => new Promise((r) => setTimeout(r, 10));

function setup() {
  const k = new Kernel({ rootFs: 'ext4', seed: 1 });
  for (const d of ['/srv', '/srv/export', '/srv/export/d']) unwrap(k.mkdir(k.init, d, 0o755));
  const sent: HostEdit[] = [];
  const onedit = async (e: HostEdit) => {
    sent.push(e);
    const r = applyHostEdit(k, e);
    return r.ok ? null : r.message;
  };
  const onread = async () => ({ ok: false as const, message: 'unused' });
  const ui = render(HostEditor, { props: { disabled: false, dir: '/srv/export', onedit, onread } });
  const field = (id: string) => ui.getByTestId(id) as unknown as { value: string } & Parameters<typeof fireEvent.click>[0];
  const type = async (id: string, v: string) => { await fireEvent.input(field(id), { target: { value: v } }); };
  const message = () => ui.getByTestId('host-edit-message').textContent;
  return { k, sent, ui, field, type, message };
}

describe('HostEditor chmod / chown / rename', () => {
  it('every field has a label', () => {
    const { ui } = setup();
    for (const name of ['Mode', 'uid', 'gid', 'Rename to']) expect(ui.getByLabelText(name)).toBeTruthy();
    for (const name of ['chmod', 'chown', 'Rename']) expect(ui.getByRole('button', { name })).toBeTruthy();
  });

  it('chmod reads the mode as octal; Enter in the field runs chmod, not Write file', async () => {
    const { k, sent, type, field, message } = setup();
    await type('host-edit-path', '/srv/export/d');
    await type('host-edit-mode', '4555');
    await fireEvent.keyDown(field('host-edit-mode'), { key: 'Enter' });
    await settle();
    expect(sent).toEqual([{ op: 'chmod', path: '/srv/export/d', mode: 0o4555 }]);
    expect(message()).toBe('chmod 4555 /srv/export/d'); // as chmod -v spells a mode
    expect(unwrap(k.stat(k.init, '/srv/export/d')).mode & 0o7777).toBe(0o4555);
    await type('host-edit-mode', '0o1777');
    await fireEvent.click(field('host-edit-chmod'));
    await settle();
    expect(sent.at(-1)).toEqual({ op: 'chmod', path: '/srv/export/d', mode: 0o1777 });
    // Not octal: said here, nothing sent, the text stays.
    await type('host-edit-mode', '0789');
    await fireEvent.click(field('host-edit-chmod'));
    await settle();
    expect(sent.length).toBe(2);
    expect(message()).toBe('mode "0789": octal digits, as chmod takes them (e.g. 0755, 4755, 1777)');
    expect(field('host-edit-mode').value).toBe('0789');
    // Out of range: hostEdit.ts refuses (EINVAL).
    await type('host-edit-mode', '17777');
    await fireEvent.click(field('host-edit-chmod'));
    await settle();
    expect(message()).toBe('chmod /srv/export/d: mode 0o17777 is not permission bits (an integer 0..0o7777)');
  });

  it('chown: an empty id keeps it (-1); a refusal keeps the typed ids', async () => {
    const { k, sent, type, field, message } = setup();
    await type('host-edit-path', '/srv/export/d');
    await type('host-edit-uid', '1000');
    await fireEvent.keyDown(field('host-edit-uid'), { key: 'Enter' });
    await settle();
    expect(sent).toEqual([{ op: 'chown', path: '/srv/export/d', uid: 1000, gid: -1 }]);
    expect(message()).toBe('chown 1000:(kept) /srv/export/d');
    expect(unwrap(k.stat(k.init, '/srv/export/d'))).toMatchObject({ uid: 1000, gid: 0 });
    await type('host-edit-path', '/srv/export/none');
    await type('host-edit-gid', '50');
    await fireEvent.click(field('host-edit-chown'));
    await settle();
    expect(message()).toBe('chown /srv/export/none: lchown: ENOENT (No such file or directory)');
    expect([field('host-edit-path').value, field('host-edit-uid').value, field('host-edit-gid').value]).toEqual(['/srv/export/none', '1000', '50']);
    await type('host-edit-gid', 'staff');
    await fireEvent.click(field('host-edit-chown'));
    await settle();
    expect(message()).toBe('gid "staff": a number (empty keeps the group)');
    expect(sent.length).toBe(2);
  });

  it('rename: the path field follows the object; a refusal keeps both names typed', async () => {
    const { k, type, field, message } = setup();
    await type('host-edit-path', '/srv/export/d');
    await type('host-edit-to', '/srv/export/d/inside');
    await fireEvent.keyDown(field('host-edit-to'), { key: 'Enter' });
    await settle();
    expect(message()).toBe('rename /srv/export/d to /srv/export/d/inside: rename: EINVAL (Invalid argument)');
    expect([field('host-edit-path').value, field('host-edit-to').value]).toEqual(['/srv/export/d', '/srv/export/d/inside']);
    await type('host-edit-to', '/srv/export/e');
    await fireEvent.click(field('host-edit-rename'));
    await settle();
    expect(message()).toBe('renamed /srv/export/d to /srv/export/e');
    expect(field('host-edit-path').value).toBe('/srv/export/e');
    expect(k.lstat(k.init, '/srv/export/e').ok).toBe(true);
  });
});
