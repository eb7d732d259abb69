// QemuOpts: QEMU's `key=value,key=value` option syntax (util/qemu-option.c), the way a given QEMU
// version parses it. Modelled on 7.2 (get_opt_name_value / opts_do_parse / opts_parse_id, observed
// against qemu-system-x86_64 7.2.22, see test/qemu-options) with the older behaviour of the 1.x
// sources (opts_do_parse with `strstr(",id=")`, on/off-only booleans, no deprecation warning) where
// the version says so.
//
// Syntax rules reproduced:
// - `,,` inside a value is a literal comma; a key ends at `=` or `,`.
// - the first parameter may omit its key when it has no `=` (the list's implied key: `fsdriver` for
//   -fsdev/-virtfs, `driver` for -device, `type` for -machine);
// - a later parameter without `=` is a boolean flag: `ro` = `ro=on`, `noro` = `ro=off`; since 6.0 this
//   warns `short-form boolean option 'ro' deprecated` + `Please use ro=on instead`;
// - `help` / `?` as a flag asks for the list's help (lists with descriptors only);
// - `id=` is taken out before parsing (the first one wins) and must be an identifier;
// - repeated keys are all stored, the last one wins on lookup.
import type { QemuFeatures } from '../versions.ts';

export type OptType = 'string' | 'number' | 'bool' | 'size';

export interface OptDesc {
  name: string;
  type: OptType;
  /** The help text QEMU prints after ` - ` in `-fsdev proxy,help`. */
  help?: string;
}

export interface QemuOptsList {
  name: string;
  /** The key of a first parameter given without `=`. */
  impliedOptName?: string;
  mergeLists?: boolean;
  /** `'any'`: the list accepts every key (e.g. `device`, validated later by the device's properties). */
  desc: readonly OptDesc[] | 'any';
}

export interface QemuOpt {
  name: string;
  str: string;
  desc?: OptDesc;
  bool?: boolean;
  num?: bigint;
}

export class QemuOpts {
  readonly opts: QemuOpt[] = [];
  constructor(readonly list: QemuOptsList, readonly id: string | undefined) {}
  /** qemu_opt_find: the last occurrence wins. */
  find(name: string): QemuOpt | undefined {
    for (let i = this.opts.length - 1; i >= 0; i--) if (this.opts[i]!.name === name) return this.opts[i];
    return undefined;
  }
  get(name: string): string | undefined {
    return this.find(name)?.str;
  }
  getBool(name: string, def: boolean): boolean {
    const o = this.find(name);
    return o ? (o.bool ?? def) : def;
  }
  /** qemu_opt_set on an already-parsed opts (used by -virtfs to build its fsdev). */
  set(name: string, str: string, features: QemuFeatures): void {
    const desc = findDesc(this.list, name);
    const opt: QemuOpt = { name, str, desc };
    const err = parseValue(opt, features);
    if (err) throw new Error(`qemu_opt_set(${name}) failed: ${err}`); // &error_abort in vl.c
    this.opts.push(opt);
  }
}

/** A parse failure: the message error_report_err prints, plus any appended hint lines. */
export interface OptsError {
  message: string;
  hint?: string;
}

export type OptsParseResult =
  | { kind: 'ok'; opts: QemuOpts; warnings: { message: string; hint: string }[] }
  | { kind: 'help'; warnings: { message: string; hint: string }[] }
  | { kind: 'error'; error: OptsError; warnings: { message: string; hint: string }[] };

function findDesc(list: QemuOptsList, name: string): OptDesc | undefined {
  return list.desc === 'any' ? undefined : list.desc.find((d) => d.name === name);
}

export function isHelpOption(s: string): boolean {
  return s === 'help' || s === '?';
}

/** get_opt_value: up to the next single comma; `,,` is a literal comma. Returns [value, rest-at-comma-or-end]. */
function getOptValue(p: string, at: number): [string, number] {
  let v = '';
  let i = at;
  while (i < p.length) {
    if (p[i] === ',') {
      if (p[i + 1] !== ',') break;
      i++;
    }
    v += p[i];
    i++;
  }
  return [v, i];
}

interface NameValue { name: string; value: string; next: number; flag?: { prefix: string; help: boolean } }

/** 7.2 get_opt_name_value (a name ends at the first `=` or `,`; names cannot contain `,,`). */
function getOptNameValue(params: string, at: number, firstname: string | undefined): NameValue {
  let len = 0;
  while (at + len < params.length && params[at + len] !== '=' && params[at + len] !== ',') len++;
  let name: string;
  let value: string;
  let p: number;
  let flag: NameValue['flag'];
  if (params[at + len] !== '=') {
    if (firstname !== undefined) {
      name = firstname;
      [value, p] = getOptValue(params, at);
    } else {
      name = params.slice(at, at + len);
      p = at + len;
      if (name.startsWith('no')) {
        name = name.slice(2);
        value = 'off';
        flag = { prefix: 'no', help: false };
      } else {
        value = 'on';
        flag = { prefix: '', help: isHelpOption(name) };
      }
    }
  } else {
    name = params.slice(at, at + len);
    [value, p] = getOptValue(params, at + len + 1);
  }
  if (params[p] === ',') p++;
  return { name, value, next: p, flag };
}

/** id_wellformed: a letter, then letters, digits, '-', '.', '_'. */
export function idWellformed(id: string): boolean {
  return /^[A-Za-z][A-Za-z0-9\-._]*$/.test(id);
}

const ID_HINT = "Identifiers consist of letters, digits, '-', '.', '_', starting with a letter.\n";

/** qemu_strtou64(value, NULL, 0) (7.2): strtoull with base 0, whole string, ERANGE reported. */
function strtou64(value: string): { ok: true; n: bigint } | { ok: false; erange: boolean } {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(value);
  if (!m) return { ok: false, erange: false };
  const digits = m[2]!;
  const n = digits.length > 1 && digits[0] === '0' && (digits[1] === 'x' || digits[1] === 'X') ? BigInt(digits)
    : digits.length > 1 && digits[0] === '0' ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  const max = (1n << 64n) - 1n;
  if (n > max) return { ok: false, erange: true };
  return { ok: true, n: m[1] === '-' ? (max + 1n - n) & max : n };
}

/** The 1.x parse_option_number: strtoull then `*postfix != '\0'` → error; an empty value is 0. */
function strtoullLoose(value: string): bigint | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)?$/.exec(value);
  if (!m) return undefined;
  if (!m[2]) return 0n;
  const s = m[2];
  const n = s.length > 1 && /^0[xX]/.test(s) ? BigInt(s) : s.length > 1 && s[0] === '0' ? BigInt(`0o${s.slice(1)}`) : BigInt(s);
  const max = (1n << 64n) - 1n;
  const c = n > max ? max : n;
  return m[1] === '-' ? (max + 1n - c) & max : c;
}

/** qemu_opt_parse for one option; returns the error message or undefined. */
function parseValue(opt: QemuOpt, f: QemuFeatures): string | undefined {
  const d = opt.desc;
  if (!d) return undefined;
  switch (d.type) {
    case 'string':
      return undefined;
    case 'bool': {
      // 7.2 qapi_bool_parse accepts on/yes/true/y and off/no/false/n (observed: readonly=yes starts);
      // the 1.x parse_option_bool only on/off.
      const t = f.boolAcceptsYesNo ? ['on', 'yes', 'true', 'y'] : ['on'];
      const fl = f.boolAcceptsYesNo ? ['off', 'no', 'false', 'n'] : ['off'];
      if (t.includes(opt.str)) opt.bool = true;
      else if (fl.includes(opt.str)) opt.bool = false;
      else return `Parameter '${opt.name}' expects 'on' or 'off'`;
      return undefined;
    }
    case 'number':
    case 'size': {
      if (!f.shortFormBooleanWarning) {
        const n = strtoullLoose(opt.str);
        if (n === undefined) return `Parameter '${opt.name}' expects ${d.type === 'size' ? 'a size' : 'a number'}`;
        opt.num = n;
        return undefined;
      }
      if (d.type === 'size') {
        // 7.2 parse_option_size (qemu_strtosz): only what fsdev/virtfs need — they have no size keys.
        const r = /^\s*(\d+(?:\.\d+)?)([kKMGTPE]?)[bB]?$/.exec(opt.str);
        if (!r) return `Parameter '${opt.name}' expects a non-negative number below 2^64`;
        opt.num = BigInt(Math.floor(Number(r[1])));
        return undefined;
      }
      const r = strtou64(opt.str);
      if (r.ok) { opt.num = r.n; return undefined; }
      return r.erange ? `Value '${opt.str}' is too large for parameter '${opt.name}'` : `Parameter '${opt.name}' expects a number`;
    }
  }
}

export interface ParseOptions {
  /** Use the list's implied first key (true for every option vl.c parses with qemu_opts_parse_noisily(…, true)). */
  permitAbbrev: boolean;
  /** Lists already holding opts, by list name: for `Duplicate ID`. */
  existing: QemuOpts[];
}

/** opts_parse_id (7.2): the first `id=` among properly tokenised parameters. */
function parseId7(params: string): string | undefined {
  for (let p = 0; p < params.length;) {
    const nv = getOptNameValue(params, p, undefined);
    if (nv.name === 'id') return nv.value;
    p = nv.next;
  }
  return undefined;
}

/** 1.x opts_parse: `id=` at the start, else the first `,id=` anywhere (even inside a `,,` value). */
function parseId1(params: string): string | undefined {
  if (params.startsWith('id=')) return getOptValue(params, 3)[0];
  const i = params.indexOf(',id=');
  return i >= 0 ? getOptValue(params, i + 4)[0] : undefined;
}

/** qemu_opts_parse_noisily(list, params, permit_abbrev) for one version. */
export function parseQemuOpts(list: QemuOptsList, params: string, f: QemuFeatures, o: ParseOptions): OptsParseResult {
  const warnings: { message: string; hint: string }[] = [];
  const modern = f.shortFormBooleanWarning; // the get_opt_name_value rewrite (6.0) — see versions.ts
  const id = modern ? parseId7(params) : parseId1(params);
  if (id !== undefined) {
    if (!idWellformed(id)) return { kind: 'error', error: { message: "Parameter 'id' expects an identifier", hint: ID_HINT }, warnings };
    if (!list.mergeLists && o.existing.some((x) => x.id === id)) {
      return { kind: 'error', error: { message: `Duplicate ID '${id}' for ${list.name}` }, warnings };
    }
  }
  const opts = new QemuOpts(list, id);
  const wantsHelp = list.desc !== 'any';
  let firstname = o.permitAbbrev ? list.impliedOptName : undefined;
  for (let p = 0; p < params.length;) {
    const nv = getOptNameValue(params, p, firstname);
    if (!modern && nv.flag && firstname === undefined) {
      // 1.x: no warning, no help; the flag is simply stored.
    } else if (nv.flag) {
      if (!nv.flag.help) {
        const display = `${nv.flag.prefix}${nv.name}`;
        const hint = nv.name === 'delay' ? `Please use nodelay=${nv.flag.prefix ? 'on' : 'off'} instead\n` : `Please use ${nv.name}=${nv.value} instead\n`;
        warnings.push({ message: `short-form boolean option '${display}' deprecated`, hint });
      } else if (wantsHelp) {
        return { kind: 'help', warnings };
      }
    }
    firstname = undefined;
    p = nv.next;
    if (nv.name === 'id') continue;
    const desc = findDesc(list, nv.name);
    if (!desc && list.desc !== 'any') return { kind: 'error', error: { message: `Invalid parameter '${nv.name}'` }, warnings };
    const opt: QemuOpt = { name: nv.name, str: nv.value, desc };
    const err = parseValue(opt, f);
    if (err) return { kind: 'error', error: { message: err }, warnings };
    opts.opts.push(opt);
  }
  return { kind: 'ok', opts, warnings };
}
