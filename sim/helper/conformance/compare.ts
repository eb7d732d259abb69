// Step comparison as vectors/FORMAT.md "Masks and comparison" defines it: reader, recv_status class,
// fd_received and helper_alive_after must agree, and the response bytes must be equal after masking
// `volatile` (always), `fs_dependent` (unless the simulator models that filesystem) and comparing
// `unordered` ranges as multisets of NUL-separated names.
import { describeReply, requestName, typeName } from '../../proxy/index.ts';
import type { Mask, Step } from './suite.ts';

export interface ActualStep {
  reader: Step['reader'];
  response: Uint8Array;
  recvStatus: string | null;
  fdReceived: boolean;
  helperAlive: boolean;
}

export interface CompareOptions {
  /** Also mask fs_dependent ranges (use when the simulator does not model the export's fs type). */
  maskFsDependent: boolean;
}

export interface StepVerdict {
  pass: boolean;
  /** Name of the first differing field (a reply field, or reader/recv_status/fd_received/helper_alive). */
  field?: string;
  expected: string;
  actual: string;
}

export const toHex = (b: Uint8Array): string => {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
};
export const fromHex = (h: string): Uint8Array => {
  const out = new Uint8Array(h.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
};

function names(b: Uint8Array, sep: number): string[] {
  const out: string[] = [];
  let cur: number[] = [];
  for (const c of b) {
    if (c === sep) { out.push(toHex(Uint8Array.from(cur))); cur = []; } else cur.push(c);
  }
  if (cur.length) out.push(toHex(Uint8Array.from(cur)));
  return out.sort();
}

/** Which field of the expected reply covers byte `off` (via the proxy frame description). */
function fieldAt(step: Step, exp: Uint8Array, off: number, masks: Mask[]): string {
  for (const m of masks) if (off >= m.offset && off < m.offset + m.length) return m.field;
  const code = parseInt(step.request_hex.slice(0, 8).match(/../g)?.reverse().join('') ?? '', 16);
  const name = requestName(code);
  if (name && step.reader !== 'raw') {
    const d = describeReply(name, exp, /^1[12]000000/.test(step.request_hex) ? (readU32(step.request_hex, 8)) : 1);
    for (const f of d.fields) if (off >= f.offset && off < f.offset + f.length) return f.name;
  }
  return off >= exp.length ? 'length' : `byte ${off}${Number.isNaN(code) ? '' : ` of ${typeName(code)} reply`}`;
}

function readU32(hex: string, byteOff: number): number {
  const h = hex.slice(byteOff * 2, byteOff * 2 + 8);
  if (h.length < 8) return 1;
  return parseInt(h.match(/../g)!.reverse().join(''), 16);
}

function recvClass(s: string | null): string {
  return s ?? 'ok';
}

export function compareStep(step: Step, act: ActualStep, opts: CompareOptions): StepVerdict {
  const exp = fromHex(step.response_hex);
  const expected = step.response_hex;
  const actual = toHex(act.response);
  const fail = (field: string): StepVerdict => ({ pass: false, field, expected, actual });
  if (step.reader !== act.reader) return fail('reader');
  if (recvClass(step.recv_status) !== recvClass(act.recvStatus)) return fail(`recv_status (expected ${recvClass(step.recv_status)}, got ${recvClass(act.recvStatus)})`);
  if ((step.fd_received ?? false) !== act.fdReceived) return fail('fd_received');
  if (step.helper_alive_after !== act.helperAlive) return fail('helper_alive_after');
  // daemon_mode records only the header of the reply (response_complete: false).
  const got = step.response_complete === false ? act.response.subarray(0, exp.length) : act.response;
  if (step.response_complete === false && step.response_length !== undefined && act.response.length !== step.response_length) {
    return fail('length');
  }
  const masked: Mask[] = [...(step.masks?.volatile ?? []), ...(opts.maskFsDependent ? step.masks?.fs_dependent ?? [] : [])];
  const unordered = step.masks?.unordered ?? [];
  const skip = new Uint8Array(Math.max(exp.length, got.length));
  for (const m of [...masked, ...unordered]) skip.fill(1, m.offset, m.offset + m.length);
  const n = Math.max(exp.length, got.length);
  for (let i = 0; i < n; i++) {
    if (skip[i]) continue;
    if (i >= exp.length || i >= got.length || exp[i] !== got[i]) {
      return fail(fieldAt(step, exp, i, [...(step.masks?.fs_dependent ?? []), ...masked]));
    }
  }
  if (exp.length !== got.length) return fail('length');
  for (const m of unordered) {
    const a = names(exp.subarray(m.offset, m.offset + m.length), m.separator ?? 0);
    const b = names(got.subarray(m.offset, m.offset + m.length), m.separator ?? 0);
    if (a.join(',') !== b.join(',')) return fail(m.field);
  }
  return { pass: true, expected, actual };
}
