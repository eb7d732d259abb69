import { describe, expect, it } from 'vitest';
import { filterEvents, parseFilter, TraceFilterError } from '../../sim/trace/index.ts';
import { sampleTrace } from './sample.ts';

const ids = (q: string) => filterEvents(sampleTrace().events, parseFilter(q)).map((e) => e.id);

describe('trace filters', () => {
  it('by lane (sender or receiver), kind, type', () => {
    expect(ids('lane:helper kind:syscall')).toEqual([6, 11]);
    expect(ids('lane:guest kind:p9')).toEqual([4, 9, 10, 12]);
    expect(ids('type:Twalk,Rwalk')).toEqual([4, 9]);
    expect(ids('type:T_LSTAT')).toEqual([5, 7]);
  });
  it('by errno (number, name, any)', () => {
    expect(ids('errno:EACCES')).toEqual([11, 12]);
    expect(ids('errno:13 kind:p9')).toEqual([12]);
    expect(ids('errno:any')).toEqual([11, 12]);
    expect(ids('errno:enoent')).toEqual([]);
  });
  it('by fid, path, causal subtree and text', () => {
    expect(ids('fid:1')).toEqual([4, 9, 10, 12]);
    expect(ids('path:secret')).toEqual([11]);
    expect(ids('path:pub kind:p9')).toEqual([4]);
    expect(ids('cause:4')).toEqual([4, 5, 6, 7, 8]);
    expect(ids('virtfs -f')).toEqual([2]);
    expect(ids('"reply to"')).toEqual([7]);
    expect(ids('text:quirk')).toEqual([8]);
  });
  it('located errors for bad queries', () => {
    const err = (q: string) => { try { parseFilter(q); } catch (e) { return e as TraceFilterError; } throw new Error('parsed'); };
    expect(err('lane:guest colour:red')).toMatchObject({ code: 'FILTER_UNKNOWN_KEY', column: 12 });
    expect(err('lane:guest,kernel')).toMatchObject({ code: 'FILTER_BAD_VALUE', column: 12, message: 'filter, column 12: lane: "kernel" is not a lane (libvirt, guest, qemu, helper, host)' });
    expect(err('errno:EFOO')).toMatchObject({ code: 'FILTER_BAD_VALUE', column: 7 });
    expect(err('fid:x')).toMatchObject({ code: 'FILTER_BAD_VALUE' });
    expect(err('cause:1,2')).toMatchObject({ code: 'FILTER_BAD_VALUE' });
    expect(err('"open')).toMatchObject({ code: 'FILTER_UNTERMINATED_QUOTE', column: 1 });
    expect(err('kind:')).toMatchObject({ code: 'FILTER_BAD_VALUE', column: 6 });
  });
});

describe('channel filter', () => {
  it('selects p9/proxy events by session; - is the unnamed one', async () => {
    const { TraceRecorder: R } = await import('../../sim/trace/index.ts');
    const r = new R();
    r.p9({ lane: 'guest', message: { kind: 'Tclunk', tag: 1, fid: 1 } });
    r.p9({ lane: 'guest', channel: 'fs1', message: { kind: 'Tclunk', tag: 1, fid: 1 } });
    r.note('qemu', 'n', 't', 's');
    expect(filterEvents(r.events, parseFilter('channel:fs1')).map((e) => e.id)).toEqual([2]);
    expect(filterEvents(r.events, parseFilter('channel:-')).map((e) => e.id)).toEqual([1]);
  });
});
