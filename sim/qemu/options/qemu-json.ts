// QEMU's own JSON reader (qobject/json-lexer.c, json-streamer.c, json-parser.c, 7.2) as used by
// `-device {…}`: it differs from JSON.parse in what it accepts (single-quoted strings, `\'`) and in
// its error texts, which QEMU prints as `-device {…}: JSON parse error, …`. Texts observed on 7.2.22:
// premature EOI, missing : in object pair, key is not a string in object, duplicate key, expected
// separator in dict/list, expecting value, invalid keyword 'x', stray 'x', invalid escape sequence in
// string, and `Expecting at most one JSON value`.

/** A JSON number that was written as a float (QNum double): never an integer property value. */
export class QFloat {
  constructor(readonly value: number) {}
}

export type QObject = null | boolean | number | bigint | string | QFloat | QObject[] | { [k: string]: QObject };

type Tok =
  | { t: '{' | '}' | '[' | ']' | ':' | ',' }
  | { t: 'str'; raw: string }
  | { t: 'int' | 'float'; raw: string }
  | { t: 'kw'; raw: string }
  | { t: 'err'; raw: string };

/** json-lexer.c: returns tokens up to (and including) the first error token. */
function lex(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') { i++; continue; }
    if ('{}[]:,'.includes(c)) { out.push({ t: c as '{' }); i++; continue; }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let closed = false;
      while (j < s.length) {
        const d = s[j]!;
        if (d.charCodeAt(0) < 0x20) break; // control characters end the string in error
        if (d === '\\') { j += 2; continue; }
        if (d === c) { closed = true; break; }
        j++;
      }
      if (!closed) {
        // An unterminated string runs to the end of input: the streamer then reports premature EOI;
        // a control character inside one is a lexer error.
        if (j < s.length) { out.push({ t: 'err', raw: s.slice(i, j + 1) }); return out; }
        return out;
      }
      out.push({ t: 'str', raw: s.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      // The number states of json-lexer.c: a character the current state cannot take ends the number
      // in error, and the error token includes it (observed: `-}`, `1.}`, `1e+}`, `00`, `-01`).
      const r = lexNumber(s, i);
      if (r.err) { out.push({ t: 'err', raw: r.text }); return out; }
      out.push({ t: r.float ? 'float' : 'int', raw: r.text });
      i += r.text.length;
      continue;
    }
    if (c >= 'a' && c <= 'z') {
      const m = /^[a-z]+/.exec(s.slice(i))!;
      out.push({ t: 'kw', raw: m[0] });
      i += m[0].length;
      continue;
    }
    out.push({ t: 'err', raw: c });
    return out;
  }
  return out;
}

function lexNumber(s: string, at: number): { text: string; err: boolean; float: boolean } {
  let i = at;
  const digit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';
  const fail = () => ({ text: s.slice(at, Math.min(i + 1, s.length)), err: true, float: false });
  if (s[i] === '-') i++;
  if (s[i] === '0') {
    i++;
    if (digit(s[i])) return fail();
  } else if (digit(s[i])) {
    while (digit(s[i])) i++;
  } else {
    return fail();
  }
  let float = false;
  if (s[i] === '.') {
    float = true;
    i++;
    if (!digit(s[i])) return fail();
    while (digit(s[i])) i++;
  }
  if (s[i] === 'e' || s[i] === 'E') {
    float = true;
    i++;
    if (s[i] === '+' || s[i] === '-') i++;
    if (!digit(s[i])) return fail();
    while (digit(s[i])) i++;
  }
  return { text: s.slice(at, i), err: false, float };
}

class JsonError {
  constructor(readonly message: string) {}
}

/** parse_string: the escapes QEMU accepts (also `\'`); anything else is an error. */
function parseString(raw: string): string {
  let out = '';
  for (let i = 1; i < raw.length - 1; i++) {
    const c = raw[i]!;
    if (c !== '\\') { out += c; continue; }
    const e = raw[++i]!;
    const simple: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
    if (e in simple) { out += simple[e]; continue; }
    if (e === 'u' && /^[0-9a-fA-F]{4}/.test(raw.slice(i + 1))) {
      out += String.fromCharCode(Number.parseInt(raw.slice(i + 1, i + 5), 16));
      i += 4;
      continue;
    }
    throw new JsonError('invalid escape sequence in string');
  }
  return out;
}

class Parser {
  private pos = 0;
  constructor(private readonly toks: Tok[]) {}
  private peek(): Tok | undefined { return this.toks[this.pos]; }
  private pop(): Tok | undefined { return this.toks[this.pos++]; }

  value(): QObject {
    const t = this.peek();
    if (!t) throw new JsonError('premature EOI');
    switch (t.t) {
      case '{': return this.object();
      case '[': return this.array();
      case 'str': this.pop(); return parseString(t.raw);
      case 'int': {
        this.pop();
        const n = BigInt(t.raw);
        return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
      }
      case 'float': this.pop(); return new QFloat(Number(t.raw));
      case 'kw':
        this.pop();
        if (t.raw === 'true') return true;
        if (t.raw === 'false') return false;
        if (t.raw === 'null') return null;
        throw new JsonError(`invalid keyword '${t.raw}'`);
      default:
        throw new JsonError('expecting value');
    }
  }

  private object(): QObject {
    this.pop();
    const dict: Record<string, QObject> = {};
    const peek = this.peek();
    if (!peek) throw new JsonError('premature EOI');
    if (peek.t === '}') { this.pop(); return dict; }
    this.pair(dict);
    for (let t = this.pop(); ; t = this.pop()) {
      if (!t) throw new JsonError('premature EOI');
      if (t.t === '}') return dict;
      if (t.t !== ',') throw new JsonError('expected separator in dict');
      this.pair(dict);
    }
  }

  private pair(dict: Record<string, QObject>): void {
    if (!this.peek()) throw new JsonError('premature EOI');
    const key = this.value();
    if (typeof key !== 'string') throw new JsonError('key is not a string in object');
    const colon = this.pop();
    if (!colon) throw new JsonError('premature EOI');
    if (colon.t !== ':') throw new JsonError('missing : in object pair');
    const v = this.value();
    if (Object.prototype.hasOwnProperty.call(dict, key)) throw new JsonError('duplicate key');
    dict[key] = v;
  }

  private array(): QObject {
    this.pop();
    const list: QObject[] = [];
    const peek = this.peek();
    if (!peek) throw new JsonError('premature EOI');
    if (peek.t === ']') { this.pop(); return list; }
    list.push(this.value());
    for (let t = this.pop(); ; t = this.pop()) {
      if (!t) throw new JsonError('premature EOI');
      if (t.t === ']') return list;
      if (t.t !== ',') throw new JsonError('expected separator in list');
      list.push(this.value());
    }
  }

  done(): boolean { return this.pos >= this.toks.length; }
}

/**
 * qobject_from_json(text): the value, or the exact error text QEMU prints. The streamer splits the
 * token stream into top-level values; a lexer error is reported at once as `stray '…'`.
 */
export function qobjectFromJson(text: string): { ok: true; value: QObject } | { ok: false; error: string } {
  const toks = lex(text);
  // json-streamer: values end when the braces balance; collect them one by one.
  const values: Tok[][] = [];
  let cur: Tok[] = [];
  let depth = 0;
  for (const t of toks) {
    if (t.t === 'err') {
      if (values.length > 0) return { ok: false, error: 'Expecting at most one JSON value' };
      return { ok: false, error: `JSON parse error, stray '${t.raw}'` };
    }
    cur.push(t);
    if (t.t === '{' || t.t === '[') depth++;
    if (t.t === '}' || t.t === ']') depth--;
    if (depth <= 0) { values.push(cur); cur = []; depth = 0; }
  }
  if (cur.length > 0) values.push(cur);
  if (values.length === 0) return { ok: false, error: 'JSON parse error, premature EOI' };
  let result: QObject | undefined;
  try {
    const p = new Parser(values[0]!);
    result = p.value();
  } catch (e) {
    if (e instanceof JsonError) return { ok: false, error: `JSON parse error, ${e.message}` };
    throw e;
  }
  if (values.length > 1) return { ok: false, error: 'Expecting at most one JSON value' };
  return { ok: true, value: result };
}
