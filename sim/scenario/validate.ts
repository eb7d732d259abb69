// Parsing and validation of scenario files (format version 1) with located errors: every problem is
// reported with the JSON pointer of the offending value (and line:col for JSON syntax errors), all at
// once rather than first-only, so an editor can underline each of them.
import { ScenarioError, pointer, type ScenarioIssue } from './errors.ts';
import type { EntryType, ExpectHost, ExpectResult, MatrixCell, Scenario, TreeEntry } from './types.ts';
import { classifyLine } from './script.ts';
import { utf8Length } from '../text/utf8.ts';

const ENTRY_TYPES: readonly EntryType[] = ['file', 'dir', 'symlink', 'fifo', 'chardev', 'blockdev', 'socket'];
const TOP_KEYS = ['version', 'title', 'id', 'description', 'host', 'guest', 'domain', 'era', 'variant', 'qemu', 'race', 'matrix', 'source'];
const ENTRY_KEYS = ['path', 'path_b64', 'type', 'mode', 'uid', 'gid', 'content', 'content_b64', 'target', 'target_b64', 'rdev', 'rdev_major', 'rdev_minor', 'xattrs', 'atime', 'mtime', 'hardlink_of'];
/** Linux PATH_MAX / NAME_MAX (include/uapi/linux/limits.h). */
const PATH_MAX = 4096;
const NAME_MAX = 255;

type Json = unknown;
type Obj = Record<string, Json>;

function isObj(v: Json): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Line and column (1-based) of a UTF-16 offset in `text`. */
export function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) { line++; col = 1; } else col++;
  }
  return { line, column: col };
}

/** Parse JSON text; syntax errors become a located ScenarioError. Engines word JSON.parse errors
 * differently (Node 20 often gives no position), so the offset comes from our own scan. */
export function parseJsonLocated(text: string): Json {
  try {
    return JSON.parse(text);
  } catch (e) {
    const { offset, message } = jsonErrorAt(text);
    throw new ScenarioError([{ pointer: '', message: `invalid JSON: ${message}`, ...lineCol(text, offset) }]);
  }
}

/** A strict JSON scanner (RFC 8259) that only locates the first syntax error. */
export function jsonErrorAt(text: string): { offset: number; message: string } {
  let i = 0;
  class Stop { constructor(readonly offset: number, readonly message: string) {} }
  const fail = (m: string, at = i): never => { throw new Stop(at, m); };
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++; };
  const lit = (w: string) => { if (text.startsWith(w, i)) i += w.length; else fail(`unexpected ${describe()}`); };
  const describe = () => (i >= text.length ? 'end of input' : `character ${JSON.stringify(text[i])}`);
  const str = () => {
    i++;
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text[i]!;
      if (c === '"') { i++; return; }
      if (c < ' ') fail('control character in string');
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') { if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape'); i += 6; continue; }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail('bad escape');
        i += 2; continue;
      }
      i++;
    }
  };
  const num = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail(`unexpected ${describe()}`);
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a "key", found ${describe()}`);
        str(); ws();
        if (text[i] !== ':') fail(`expected ':', found ${describe()}`);
        i++; value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return; }
        fail(`expected ',' or '}', found ${describe()}`);
      }
    }
    if (c === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return; }
        fail(`expected ',' or ']', found ${describe()}`);
      }
    }
    if (c === '"') return str();
    if (c === 't') return lit('true');
    if (c === 'f') return lit('false');
    if (c === 'n') return lit('null');
    return num();
  };
  try {
    value(); ws();
    if (i < text.length) fail(`unexpected ${describe()} after the value`);
    return { offset: text.length, message: 'invalid JSON' };
  } catch (e) {
    if (e instanceof Stop) return { offset: e.offset, message: e.message };
    throw e;
  }
}

/** Parse and validate a scenario from JSON text or an already-parsed value. Throws ScenarioError. */
export function parseScenario(input: string | Json): Scenario {
  const value = typeof input === 'string' ? parseJsonLocated(input) : input;
  const issues: ScenarioIssue[] = [];
  const s = checkScenario(value, issues);
  if (issues.length > 0 || !s) throw new ScenarioError(issues.length ? issues : [{ pointer: '', message: 'not a scenario' }]);
  return s;
}

/** Validate without throwing: the list of issues (empty when valid). */
export function validateScenario(input: string | Json): ScenarioIssue[] {
  try { parseScenario(input); return []; } catch (e) {
    if (e instanceof ScenarioError) return e.issues;
    throw e;
  }
}

function checkScenario(v: Json, issues: ScenarioIssue[]): Scenario | null {
  const bad = (p: string, message: string) => { issues.push({ pointer: p, message }); };
  if (!isObj(v)) { bad('', 'a scenario is a JSON object'); return null; }
  for (const k of Object.keys(v)) if (!TOP_KEYS.includes(k)) bad(pointer(k), `unknown key '${k}' (known: ${TOP_KEYS.join(', ')})`);
  if (v.version !== 1) bad(pointer('version'), v.version === undefined ? 'missing: "version": 1' : `unsupported version ${JSON.stringify(v.version)} (this build reads version 1)`);
  str(v, 'title', '', issues, true);
  str(v, 'id', '', issues, false);
  str(v, 'description', '', issues, false);
  str(v, 'source', '', issues, false);
  if (typeof v.domain !== 'string' || !v.domain.includes('<domain')) bad(pointer('domain'), 'must be a string holding a libvirt <domain> XML document');
  else if (!/<filesystem[\s>]/.test(v.domain)) bad(pointer('domain'), 'the domain has no <filesystem>: the first <filesystem> is the guest mount');
  if (v.era !== '0.10.2' && v.era !== '9.0') bad(pointer('era'), `must be "0.10.2" or "9.0", got ${JSON.stringify(v.era)}`);
  if (v.variant !== 'as-posted' && v.variant !== 'corrected') bad(pointer('variant'), `must be "as-posted" or "corrected", got ${JSON.stringify(v.variant)}`);
  if (typeof v.qemu !== 'string' || !/^\d+\.\d+(\.\d+)?$/.test(v.qemu)) bad(pointer('qemu'), `must be a QEMU version like "7.2.0", got ${JSON.stringify(v.qemu)}`);

  // host
  if (!isObj(v.host)) bad(pointer('host'), 'missing or not an object: {"export": "/srv/…", "tree": […]}');
  else {
    for (const k of Object.keys(v.host)) if (k !== 'export' && k !== 'tree') bad(pointer('host', k), `unknown key '${k}'`);
    if (typeof v.host.export !== 'string' || !isAbsPath(v.host.export)) bad(pointer('host', 'export'), 'must be an absolute path');
    checkTree(v.host.tree, ['host', 'tree'], issues, true);
    if (typeof v.domain === 'string' && typeof v.host.export === 'string') {
      const src = firstFilesystemSource(v.domain);
      if (src !== null && normPath(src) !== normPath(v.host.export)) bad(pointer('host', 'export'), `"${v.host.export}" differs from the first <filesystem>'s <source dir='${src}'/>`);
    }
  }
  // guest
  if (!isObj(v.guest)) bad(pointer('guest'), 'missing or not an object: {"mount": "/mnt", "uid": 0, "gid": 0, "tree": [], "script": […]}');
  else {
    const g = v.guest;
    for (const k of Object.keys(g)) if (!['mount', 'uid', 'gid', 'tree', 'script'].includes(k)) bad(pointer('guest', k), `unknown key '${k}'`);
    if (typeof g.mount !== 'string' || !isAbsPath(g.mount)) bad(pointer('guest', 'mount'), 'must be an absolute path, e.g. "/mnt"');
    idNum(g, 'uid', ['guest'], issues);
    idNum(g, 'gid', ['guest'], issues);
    checkTree(g.tree ?? [], ['guest', 'tree'], issues, false);
    if (!Array.isArray(g.script)) bad(pointer('guest', 'script'), 'must be an array of shell lines');
    else g.script.forEach((l, i) => {
      if (typeof l !== 'string') { bad(pointer('guest', 'script', i), 'each script line is a string'); return; }
      // The shell would refuse the line when it runs: report it up front, with the column.
      const c = classifyLine(l, i);
      if (c.syntaxError) bad(pointer('guest', 'script', i), `${c.syntaxError} in ${JSON.stringify(c.text)}`);
      if (c.actor === 'racer' && !/^\s*racer:\s*host:/.test(l)) bad(pointer('guest', 'script', i), 'a racer step runs on the host: write "racer: host: CMD"');
    });
  }
  if (v.race !== undefined) {
    if (!isObj(v.race) || !Number.isInteger(v.race.afterHostSyscall) || (v.race.afterHostSyscall as number) < 0) bad(pointer('race'), 'must be {"afterHostSyscall": N} with N ≥ 0');
  }
  if (v.matrix !== undefined) checkMatrix(v.matrix, issues, Array.isArray((v.guest as Obj | undefined)?.script) ? ((v.guest as Obj).script as unknown[]).length : 0);
  if (issues.length) return null;
  const g = v.guest as Obj;
  return { ...(v as unknown as Scenario), guest: { ...(g as unknown as Scenario['guest']), tree: (g.tree as TreeEntry[] | undefined) ?? [] } };
}

function str(o: Obj, key: string, base: string, issues: ScenarioIssue[], required: boolean): void {
  const val = o[key];
  if (val === undefined) { if (required) issues.push({ pointer: base + pointer(key), message: 'missing (a string)' }); return; }
  if (typeof val !== 'string') issues.push({ pointer: base + pointer(key), message: 'must be a string' });
}

function idNum(o: Obj, key: string, at: (string | number)[], issues: ScenarioIssue[]): void {
  const val = o[key];
  if (!Number.isInteger(val) || (val as number) < 0 || (val as number) > 0xffffffff) issues.push({ pointer: pointer(...at, key), message: `must be an integer id 0..4294967295, got ${JSON.stringify(val)}` });
}

function isAbsPath(p: string): boolean { return p.startsWith('/') && !p.includes('\0'); }

function normPath(p: string): string { return p.replace(/\/+/g, '/').replace(/(.)\/$/, '$1'); }

/** `<source dir='…'/>` of the first <filesystem> (a plain scan; the libvirt layer does the real parse). */
export function firstFilesystemSource(xml: string): string | null {
  const fs = /<filesystem[\s>][\s\S]*?<\/filesystem>/.exec(xml);
  if (!fs) return null;
  const src = /<source\s[^>]*\bdir\s*=\s*(['"])(.*?)\1/.exec(fs[0]);
  return src ? decodeXmlEntities(src[2]!) : null;
}

/** `<target dir='…'/>` of the first <filesystem>: the mount tag. */
export function firstFilesystemTarget(xml: string): string | null {
  const fs = /<filesystem[\s>][\s\S]*?<\/filesystem>/.exec(xml);
  if (!fs) return null;
  const t = /<target\s[^>]*\bdir\s*=\s*(['"])(.*?)\1/.exec(fs[0]);
  return t ? decodeXmlEntities(t[2]!) : null;
}

function decodeXmlEntities(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e]!);
}

function checkTree(tree: Json, at: (string | number)[], issues: ScenarioIssue[], required: boolean): void {
  const bad = (p: string, message: string) => { issues.push({ pointer: p, message }); };
  if (tree === undefined && !required) return;
  if (!Array.isArray(tree)) { bad(pointer(...at), 'must be an array of tree entries (FORMAT.md entry format, absolute paths)'); return; }
  const seen = new Map<string, string>();
  tree.forEach((e, i) => {
    const here = [...at, i];
    if (!isObj(e)) { bad(pointer(...here), 'a tree entry is an object {path, type, mode, uid, gid, …}'); return; }
    for (const k of Object.keys(e)) if (!ENTRY_KEYS.includes(k)) bad(pointer(...here, k), `unknown key '${k}'`);
    const p = e.path;
    if (typeof p !== 'string' || !isAbsPath(p) || p === '/') bad(pointer(...here, 'path'), `must be an absolute path other than "/", got ${JSON.stringify(p)}`);
    else {
      const comps = p.split('/').slice(1);
      if (comps.some((c) => c === '' || c === '.' || c === '..')) bad(pointer(...here, 'path'), `"${p}" has an empty, "." or ".." component`);
      else if (comps.some((c) => utf8Length(c) > NAME_MAX)) bad(pointer(...here, 'path'), `a component of "${p}" is longer than ${NAME_MAX} bytes (ENAMETOOLONG)`);
      else if (p.length >= PATH_MAX) bad(pointer(...here, 'path'), `"${p.slice(0, 40)}…" is ${p.length} bytes, not below PATH_MAX`);
      if (seen.has(p)) bad(pointer(...here, 'path'), `duplicate path "${p}" (first at ${seen.get(p)})`);
      seen.set(p, pointer(...here));
    }
    const t = e.type as EntryType;
    if (!ENTRY_TYPES.includes(t)) { bad(pointer(...here, 'type'), `must be one of ${ENTRY_TYPES.join('|')}, got ${JSON.stringify(e.type)}`); return; }
    if (!Number.isInteger(e.mode) || (e.mode as number) < 0 || (e.mode as number) > 0o7777) bad(pointer(...here, 'mode'), `permission bits only, 0..4095 (0o7777), got ${JSON.stringify(e.mode)}`);
    idNum(e, 'uid', here, issues);
    idNum(e, 'gid', here, issues);
    if (e.content !== undefined && typeof e.content !== 'string') bad(pointer(...here, 'content'), 'must be a string');
    if (e.content_b64 !== undefined && (typeof e.content_b64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(e.content_b64))) bad(pointer(...here, 'content_b64'), 'must be base64');
    if ((e.content !== undefined || e.content_b64 !== undefined) && !['file', 'chardev', 'blockdev'].includes(t) && e.hardlink_of === undefined) bad(pointer(...here, 'content'), `a ${t} has no content`);
    if (t === 'symlink' && typeof e.target !== 'string' && typeof e.target_b64 !== 'string') bad(pointer(...here, 'target'), 'a symlink needs "target"');
    if (t !== 'symlink' && (e.target !== undefined || e.target_b64 !== undefined)) bad(pointer(...here, 'target'), `only symlinks have a target, this is a ${t}`);
    if (t === 'chardev' || t === 'blockdev') {
      const hasRdev = Number.isInteger(e.rdev);
      const hasMm = Number.isInteger(e.rdev_major) && Number.isInteger(e.rdev_minor);
      if (!hasRdev && !hasMm) bad(pointer(...here, 'rdev'), `a ${t} needs "rdev" (or "rdev_major" and "rdev_minor")`);
      if (hasRdev && hasMm && rdevOf(e as unknown as TreeEntry) !== makedev(e.rdev_major as number, e.rdev_minor as number)) bad(pointer(...here, 'rdev'), `rdev ${String(e.rdev)} ≠ makedev(${String(e.rdev_major)}, ${String(e.rdev_minor)})`);
    }
    for (const k of ['atime', 'mtime'] as const) {
      const ts = e[k];
      if (ts === undefined) continue;
      if (!isObj(ts) || !Number.isInteger(ts.sec) || !Number.isInteger(ts.nsec) || (ts.nsec as number) < 0 || (ts.nsec as number) > 999_999_999) bad(pointer(...here, k), '{"sec": integer, "nsec": 0..999999999}');
    }
    if (e.xattrs !== undefined) {
      if (!isObj(e.xattrs)) bad(pointer(...here, 'xattrs'), 'must be an object {name: text | {"b64": …}}');
      else for (const [n, val] of Object.entries(e.xattrs)) {
        if (typeof val !== 'string' && !(isObj(val) && typeof val.b64 === 'string')) bad(pointer(...here, 'xattrs', n), 'text or {"b64": …}');
        if (!n.includes('.')) bad(pointer(...here, 'xattrs', n), 'an xattr name has a namespace prefix (user., trusted., security.)');
      }
    }
    if (e.hardlink_of !== undefined) {
      if (typeof e.hardlink_of !== 'string' || !seen.has(e.hardlink_of)) bad(pointer(...here, 'hardlink_of'), `must name an earlier entry, got ${JSON.stringify(e.hardlink_of)}`);
    }
  });
}

function checkMatrix(m: Json, issues: ScenarioIssue[], scriptLen: number): void {
  const bad = (p: string, message: string) => { issues.push({ pointer: p, message }); };
  if (!Array.isArray(m)) { bad(pointer('matrix'), 'must be an array of {label, driver, qemu, results?, host?}'); return; }
  m.forEach((c: Json, i) => {
    const at = ['matrix', i];
    if (!isObj(c)) { bad(pointer(...at), 'must be an object'); return; }
    const cell = c as Partial<MatrixCell> & Obj;
    if (typeof cell.label !== 'string') bad(pointer(...at, 'label'), 'missing label');
    if (cell.driver !== 'local' && cell.driver !== 'proxy') bad(pointer(...at, 'driver'), 'must be "local" or "proxy"');
    if (typeof cell.qemu !== 'string') bad(pointer(...at, 'qemu'), 'must be a QEMU version');
    if (cell.launch !== undefined && cell.launch !== 'ok' && cell.launch !== 'refused') bad(pointer(...at, 'launch'), 'must be "ok" or "refused"');
    if (cell.errorIncludes !== undefined && (typeof cell.errorIncludes !== 'string' || cell.launch !== 'refused')) bad(pointer(...at, 'errorIncludes'), 'a string, only with "launch": "refused"');
    if (cell.race !== undefined && (!isObj(cell.race) || !Number.isInteger((cell.race as Obj).afterHostSyscall))) bad(pointer(...at, 'race'), 'must be {"afterHostSyscall": N}');
    for (const k of Object.keys(cell)) if (!['label', 'driver', 'qemu', 'era', 'variant', 'launch', 'errorIncludes', 'results', 'host', 'note', 'race'].includes(k)) bad(pointer(...at, k), `unknown key '${k}'`);
    if (cell.results !== undefined) {
      if (!Array.isArray(cell.results)) bad(pointer(...at, 'results'), 'must be an array');
      else (cell.results as Json[]).forEach((r, j) => {
        if (!isObj(r) || !Number.isInteger((r as Partial<ExpectResult>).line)) { bad(pointer(...at, 'results', j), '{"line": index into guest.script, …}'); return; }
        const line = (r as unknown as ExpectResult).line;
        const m = (r as { stdoutMatches?: unknown }).stdoutMatches;
        if (m !== undefined) { try { new RegExp(String(m)); } catch (x) { bad(pointer(...at, 'results', j, 'stdoutMatches'), `not a regular expression: ${(x as Error).message}`); } }
        for (const k of Object.keys(r)) if (!['line', 'exit', 'stdout', 'stdoutIncludes', 'stdoutMatches', 'stderr', 'stderrIncludes', 'blocked'].includes(k)) bad(pointer(...at, 'results', j, k), `unknown key '${k}'`);
        if (line < 0 || line >= scriptLen) bad(pointer(...at, 'results', j, 'line'), `line ${line} is outside guest.script (0..${scriptLen - 1})`);
      });
    }
    if (cell.host !== undefined) {
      if (!Array.isArray(cell.host)) bad(pointer(...at, 'host'), 'must be an array');
      else (cell.host as Json[]).forEach((h, j) => {
        if (!isObj(h) || typeof (h as Partial<ExpectHost>).path !== 'string') bad(pointer(...at, 'host', j), '{"path": "/abs", "exists"?, "content"?, "mode"?, …}');
      });
    }
  });
}

/** glibc's makedev (sysmacros.h): the st_rdev encoding FORMAT.md uses. */
export function makedev(major: number, minor: number): number {
  return ((minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12)) >>> 0;
}

export function majorOf(rdev: number): number { return (rdev >>> 8) & 0xfff; }
export function minorOf(rdev: number): number { return (rdev & 0xff) | ((rdev >>> 12) & 0xfff00); }

export function rdevOf(e: TreeEntry): number {
  if (Number.isInteger(e.rdev)) return e.rdev!;
  return makedev(e.rdev_major ?? 0, e.rdev_minor ?? 0);
}

