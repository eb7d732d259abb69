// Share links are untrusted input: every malformed or hostile fragment must give a ShareLinkError with
// a located, readable message (the page then shows the default state), never a crash or a hang.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deflateSync, strToU8 } from 'fflate';
import {
  decodeShareFragment, encodeRawFragment, encodeShareFragment, fromBase64Url, toBase64Url,
  ShareLinkError, SHARE_FORMAT_VERSION, MAX_FRAGMENT_CHARS, type ShareState,
} from '../../web/lib/share/shareState.ts';
import { actionOf, commandOf } from '../../web/lib/scenario/replay.ts';

const state: ShareState = {
  xml: `<domain type='qemu'>\n  <name>fstest</name>\n  <devices><filesystem type='mount'><driver type='proxy'/>` +
    `<source dir='/export/to/guest'/><target dir='/import/from/host'/></filesystem></devices>\n</domain>\n`,
  era: '0.10.2',
  variant: 'as-posted',
  qemuVersion: '7.2',
  view: { layout: 'columns', split: 0.5, tab: 'plan' },
};

function reason(fragment: string): string {
  try {
    decodeShareFragment(fragment);
  } catch (e) {
    expect(e).toBeInstanceOf(ShareLinkError);
    expect((e as ShareLinkError).code).toBe('ShareLinkError');
    return (e as ShareLinkError).data.reason;
  }
  return 'no error';
}

describe('share link round trip', () => {
  it('encodes the current format and decodes it back', () => {
    const f = encodeShareFragment(state);
    expect(f.startsWith(`s=${SHARE_FORMAT_VERSION}.`)).toBe(true);
    expect(f).toMatch(/^s=3\.[A-Za-z0-9_-]+$/); // URL-safe, no padding
    expect(decodeShareFragment(f)).toEqual(state);
    expect(decodeShareFragment(`#${f}`)).toEqual(state);
  });
  it('compresses: a typical domain XML gives a much shorter link than its JSON', () => {
    const big = { ...state, xml: state.xml.repeat(8) };
    expect(encodeShareFragment(big).length).toBeLessThan(JSON.stringify(big).length / 3);
  });
  it('round-trips arbitrary XML text, including non-BMP characters and quotes (300 seeded runs)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('0.10.2', '9.0' as const),
      fc.double({ min: 0.15, max: 0.85, noNaN: true }), (xml, era, split) => {
        const s: ShareState = { ...state, xml, era, view: { layout: 'rows', split, tab: 'trace' } };
        expect(decodeShareFragment(encodeShareFragment(s))).toEqual(s);
      }), { numRuns: 300, seed: 5 });
  });
  it('base64url round-trips every length', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    }
  });
});

describe('older links are migrated', () => {
  it('reads a v1 link (no view, `qemu` key) as v2 with the default view', () => {
    const v1 = encodeRawFragment(1, { xml: '<domain/>', era: '9.0', variant: 'corrected', qemu: '5.0' });
    expect(decodeShareFragment(v1)).toEqual({ xml: '<domain/>', era: '9.0', variant: 'corrected', qemuVersion: '5.0', view: { layout: 'columns', split: 0.5, tab: 'plan' } });
  });
  it('reads a v2 link made before the optional view.tab key existed', () => {
    const old = encodeRawFragment(2, { ...state, view: { layout: 'rows', split: 0.3 } });
    expect(decodeShareFragment(old)!.view).toEqual({ layout: 'rows', split: 0.3, tab: 'plan' });
    expect(() => decodeShareFragment(encodeRawFragment(2, { ...state, view: { layout: 'rows', split: 0.3, tab: 'hex' } }))).toThrow(/state\.view\.tab must be one of "plan", "trace"/);
  });
  it('validates a v1 link in its own format (a v2-shaped body under version 1 is refused)', () => {
    const wrong = encodeRawFragment(1, { xml: '<domain/>', era: '9.0', variant: 'corrected', qemuVersion: '5.0', view: { layout: 'columns', split: 0.5 } });
    expect(() => decodeShareFragment(wrong)).toThrow(/state\.qemu must be a string/);
  });
});

describe('optional keys added within v2', () => {
  it('carries a preset id and the scenario tab', () => {
    const s: ShareState = { ...state, view: { ...state.view, tab: 'scenario' }, preset: 'walk/symlink-escape' };
    expect(decodeShareFragment(encodeShareFragment(s))).toEqual(s);
  });
  it('refuses a preset id that is not one', () => {
    for (const bad of ['../../etc/passwd', 'https://evil.example/x', '', 'A'.repeat(100)]) {
      expect(() => decodeShareFragment(encodeRawFragment(2, { ...state, preset: bad }))).toThrow(/state\.preset/);
    }
  });
});

describe('malformed and hostile links', () => {
  it('ignores fragments that are not share links', () => {
    expect(decodeShareFragment('')).toBeNull();
    expect(decodeShareFragment('#')).toBeNull();
    expect(decodeShareFragment('#notes-heading')).toBeNull();
  });
  it('names what is wrong, and where', () => {
    expect(reason('s=')).toBe('bad-prefix');
    expect(reason('s=x.abc')).toBe('bad-prefix');
    expect(reason('s=99.abc')).toBe('unsupported-version');
    expect(() => decodeShareFragment('s=99.abc')).toThrow(/newer virtfs-lab \(format 99/);
    expect(reason('s=0.abc')).toBe('unsupported-version');
    expect(() => decodeShareFragment('s=2.abc$def')).toThrow(/unexpected character "\$" at offset 7 of the link fragment/);
    expect(reason('s=2.a')).toBe('bad-base64');
    expect(reason('s=2.AAAA')).toBe('bad-deflate');
    const full = encodeShareFragment(state);
    expect(reason(full.slice(0, full.length - 10))).toMatch(/bad-deflate|bad-base64/); // cut off in a chat app
  });
  it('refuses bad JSON and wrong field types with the field path', () => {
    const raw = (text: string) => `s=2.${toBase64Url(deflateSync(strToU8(text)))}`;
    expect(reason(raw('{'))).toBe('bad-json');
    expect(reason(raw('[]'))).toBe('bad-field');
    expect(() => decodeShareFragment(encodeRawFragment(2, { ...state, era: '<img src=x onerror=alert(1)>' })))
      .toThrow(/state\.era must be one of "0\.10\.2", "9\.0"/);
    expect(() => decodeShareFragment(encodeRawFragment(2, { ...state, qemuVersion: '7.2; rm -rf /' }))).toThrow(/state\.qemuVersion must look like/);
    expect(() => decodeShareFragment(encodeRawFragment(2, { ...state, view: { layout: 'columns', split: 1e9 } }))).toThrow(/state\.view\.split/);
    expect(() => decodeShareFragment(encodeRawFragment(2, { ...state, xml: 42 }))).toThrow(/state\.xml must be a string/);
    expect(() => decodeShareFragment(encodeRawFragment(2, { ...state, view: null }))).toThrow(/state\.view must be an object/);
  });
  it('keeps only known fields (no __proto__ games)', () => {
    const f = `s=2.${toBase64Url(deflateSync(strToU8(JSON.stringify(state).replace('{', '{"__proto__":{"polluted":1},"extra":1,'))))}`;
    const s = decodeShareFragment(f)!;
    expect(Object.keys(s).sort()).toEqual(['era', 'qemuVersion', 'variant', 'view', 'xml']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
  it('stops a decompression bomb early instead of inflating it', () => {
    const bomb = `s=2.${toBase64Url(deflateSync(new Uint8Array(64 << 20), { level: 9 }))}`; // 64 MiB of zeros
    expect(bomb.length).toBeLessThan(200_000);
    expect(reason(bomb)).toBe('too-large');
  });
  it('refuses absurdly long links before decoding them', () => {
    expect(reason(`s=2.${'A'.repeat(MAX_FRAGMENT_CHARS + 4)}`)).toBe('too-large');
  });
  it('never throws anything but ShareLinkError on random input (500 seeded runs)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (junk) => {
      for (const f of [`s=2.${junk}`, `s=${junk}`, `s=1.${toBase64Url(strToU8(junk))}`]) {
        try { decodeShareFragment(f); } catch (e) { expect(e).toBeInstanceOf(ShareLinkError); }
      }
    }), { numRuns: 500, seed: 7 });
  });
});

describe('v3: the scenario session, an imported scenario file and the trace selections', () => {
  const session: ShareState['session'] = {
    actions: [
      { do: 'step' },
      { do: 'exec', line: "echo 'hi' > /mnt/x; cat /mnt/x" },
      { do: 'edit', edit: { op: 'write', path: '/srv/export/new.txt', content_b64: 'aGVsbG8K' } },
      { do: 'edit', edit: { op: 'chmod', path: '/srv/export/new.txt', mode: 0o4755 } },
      { do: 'edit', edit: { op: 'chown', path: '/srv/export/new.txt', uid: 1000, gid: -1 } },
      { do: 'edit', edit: { op: 'rename', path: '/srv/export/new.txt', to: '/srv/export/old.txt' } },
      { do: 'edit', edit: { op: 'mkdir', path: '/srv/export/d' } },
      { do: 'edit', edit: { op: 'delete', path: '/srv/export/d' } },
      { do: 'upload', name: 'prog.wasm', wasm_b64: 'AGFzbQEAAAA=' },
      { do: 'run' },
      { do: 'restart' },
    ],
  };
  const v3: ShareState = {
    ...state, view: { ...state.view, tab: 'scenario' }, preset: 'walk/symlink-escape', session,
    selection: { trace: { event: 12, filter: 'lane:helper' }, scenario: { event: null, filter: 'errno:any' } },
  };
  it('round-trips every action kind, the stale run\'s inputs and the selections', () => {
    expect(decodeShareFragment(encodeShareFragment(v3))).toEqual(v3);
    const stale: ShareState = { ...v3, session: { ...session, opened: { xml: '<domain/>', era: '9.0', variant: 'corrected', qemuVersion: '5.0' } } };
    expect(decodeShareFragment(encodeShareFragment(stale))).toEqual(stale);
  });
  it('carries an imported scenario file under a file: id (a v2 link could not: its id check refused it)', () => {
    const s: ShareState = { ...state, preset: 'file:my.scenario.json', scenario: { file: 'my.scenario.json', raw: '{"version":1}' }, session: { actions: [{ do: 'run' }] } };
    expect(decodeShareFragment(encodeShareFragment(s))).toEqual(s);
    expect(() => decodeShareFragment(encodeRawFragment(3, { ...s, preset: 'file:other.json' }))).toThrow(/state\.preset must be "file:my\.scenario\.json"/);
    expect(() => decodeShareFragment(encodeRawFragment(3, { ...s, scenario: undefined }))).toThrow(/state\.preset must be a preset id/);
    expect(() => decodeShareFragment(encodeRawFragment(3, { ...s, preset: 'file:../x', scenario: { file: '../x', raw: '' } }))).toThrow(/state\.scenario\.file must be a file name/);
  });
  it('a v2 link is read as v3 without the new keys', () => {
    const v2 = encodeRawFragment(2, { ...state, preset: 'walk/symlink-escape' });
    expect(decodeShareFragment(v2)).toEqual({ ...state, preset: 'walk/symlink-escape' });
  });
  it('refuses hostile sessions with the path of the bad field', () => {
    const bad = (sess: unknown) => () => decodeShareFragment(encodeRawFragment(3, { ...state, preset: 'walk/symlink-escape', session: sess }));
    expect(bad({ actions: [{ do: 'step' }, { do: 'format-disk' }] })).toThrow(/state\.session\.actions\[1\]\.do must be one of/);
    expect(bad({ actions: [{ do: 'exec', line: 'ls\nrm -rf /' }] })).toThrow(/state\.session\.actions\[0\]\.line must be one line/);
    expect(bad({ actions: [{ do: 'edit', edit: { op: 'write', path: 'relative', content_b64: '' } }] })).toThrow(/actions\[0\]\.edit\.path must be an absolute path/);
    expect(bad({ actions: [{ do: 'edit', edit: { op: 'write', path: '/a', content_b64: '<script>' } }] })).toThrow(/content_b64 is not base64/);
    expect(bad({ actions: [{ do: 'edit', edit: { op: 'chmod', path: '/a', mode: 0o17777 } }] })).toThrow(/mode must be an integer from 0 to 4095/);
    expect(bad({ actions: [{ do: 'edit', edit: { op: 'chown', path: '/a', uid: 1.5, gid: 0 } }] })).toThrow(/uid must be an integer/);
    expect(bad({ actions: [{ do: 'upload', name: '../../x.wasm', wasm_b64: '' }] })).toThrow(/actions\[0\]\.name must be a program name/);
    expect(bad({ actions: 'all' })).toThrow(/state\.session\.actions must be an array/);
    expect(bad({ actions: Array.from({ length: 5001 }, () => ({ do: 'step' })) })).toThrow(/more than 5000 entries/);
    expect(bad({ opened: { xml: 1 }, actions: [] })).toThrow(/state\.session\.opened\.xml must be a string/);
    expect(() => decodeShareFragment(encodeRawFragment(3, { ...state, session: { actions: [] } }))).toThrow(/state\.session needs state\.preset/);
    expect(() => decodeShareFragment(encodeRawFragment(3, { ...state, selection: { trace: { event: -1, filter: '' } } }))).toThrow(/state\.selection\.trace\.event must be an event id/);
  });
  it('actionOf (journal → link) and commandOf (link → request) are inverses for every action kind', () => {
    for (const a of session.actions) expect(actionOf(commandOf(a, 7))).toEqual(a);
  });
  it('each action becomes the request the panel sends for it', () => {
    expect(commandOf({ do: 'exec', line: 'ls' }, 4)).toEqual({ kind: 'guest-exec', session: 4, line: 'ls' });
    expect(commandOf({ do: 'edit', edit: { op: 'write', path: '/a', content_b64: 'aGVsbG8K' } }, 4))
      .toEqual({ kind: 'host-edit', session: 4, edit: { op: 'write', path: '/a', content: new TextEncoder().encode('hello\n') } });
    expect(commandOf({ do: 'upload', name: 'p.wasm', wasm_b64: 'AGFzbQEAAAA=' }, 4))
      .toEqual({ kind: 'guest-upload', session: 4, name: 'p.wasm', bytes: Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0) });
    expect(commandOf({ do: 'restart' }, 9)).toEqual({ kind: 'scenario-restart', session: 9 });
  });
});
