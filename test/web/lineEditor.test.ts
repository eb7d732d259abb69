// The guest terminal's line editor (web/lib/scenario/lineEditor.ts): keystrokes as xterm.js reports
// them, history, Ctrl+C / Ctrl+U, and how a Tab completion is inserted.
import { describe, expect, it } from 'vitest';
import { LineEditor } from '../../web/lib/scenario/lineEditor.ts';

const UP = '\x1b[A';
const DOWN = '\x1b[B';

describe('LineEditor', () => {
  it('echoes typing, backspace (by code point) and submits on Enter', () => {
    const ed = new LineEditor();
    expect(ed.input('ls /mnt')).toEqual({ echo: 'ls /mnt' });
    expect(ed.input('\x7f')).toEqual({ echo: '\b \b' });
    expect(ed.input('x😀\x7f')).toEqual({ echo: 'x😀\b \b' });
    expect(ed.line).toBe('ls /mnx');
    expect(ed.input('\r')).toEqual({ echo: '\r\n', submit: 'ls /mnx' });
    expect(ed.line).toBe('');
  });
  it('walks the history with ↑/↓ (also SS3 form), keeping the line being typed as a draft', () => {
    const ed = new LineEditor();
    for (const c of ['ls /mnt', 'cat /mnt/a', 'cat /mnt/a']) ed.remember(c);
    ed.input('sta');
    expect(ed.input(UP).echo).toBe('\x1b[2K\r\0PROMPTcat /mnt/a');
    expect(ed.input('\x1bOA').echo).toBe('\x1b[2K\r\0PROMPTls /mnt'); // duplicates kept once
    expect(ed.input(UP).echo).toBe('\x07');
    expect(ed.input(DOWN).echo).toContain('cat /mnt/a');
    expect(ed.input(DOWN).echo).toBe('\x1b[2K\r\0PROMPTsta');
    expect(ed.input(DOWN).echo).toBe('\x07');
    expect(ed.line).toBe('sta');
    ed.input('\x1b[1;5C'); // Ctrl+→: ignored, not typed
    expect(ed.line).toBe('sta');
  });
  it('Ctrl+C abandons the line, Ctrl+U erases it', () => {
    const ed = new LineEditor();
    ed.input('rm -rf /mnt');
    expect(ed.input('\x03')).toEqual({ echo: '^C\r\n\0PROMPT' });
    expect(ed.line).toBe('');
    ed.input('abc');
    expect(ed.input('\x15').echo).toBe('\x1b[2K\r\0PROMPT');
    expect(ed.line).toBe('');
  });
  it('inserts a completion: one candidate (+ space unless a directory), the common prefix, or the list', () => {
    const ed = new LineEditor();
    ed.input('cat /mnt/hello');
    expect(ed.applyCompletion({ start: 4, word: '/mnt/hello', candidates: ['/mnt/hello.txt'], line: 'cat /mnt/hello' })).toEqual({ echo: '.txt ' });
    expect(ed.line).toBe('cat /mnt/hello.txt ');
    const ed2 = new LineEditor();
    ed2.input('ls /mnt/h');
    expect(ed2.applyCompletion({ start: 3, word: '/mnt/h', candidates: ['/mnt/hello.txt', '/mnt/help/'] }).echo).toBe('el');
    expect(ed2.applyCompletion({ start: 3, word: '/mnt/hel', candidates: ['/mnt/hello.txt', '/mnt/help/'] }).echo)
      .toBe('\r\n/mnt/hello.txt  /mnt/help/\r\n\0PROMPTls /mnt/hel');
    expect(ed2.applyCompletion({ start: 3, word: '/mnt/hel', candidates: [] }).echo).toBe('\x07');
    // A reply for a line that has changed since is dropped.
    ed2.input('x');
    expect(ed2.applyCompletion({ start: 3, word: '/mnt/hel', candidates: ['/mnt/help/'], line: 'ls /mnt/hel' })).toEqual({});
    expect(ed2.line).toBe('ls /mnt/helx');
  });
  it('says when the listing is blocked (a frozen helper)', () => {
    const ed = new LineEditor();
    ed.input('cat /mnt/f');
    expect(ed.applyCompletion({ start: 4, word: '/mnt/f', candidates: [], blocked: 'helper: fifo-open-reader' }).echo).toContain('[completion blocked: helper: fifo-open-reader]');
  });
});
