import { describe, expect, it } from 'vitest';
import { parseLine, ShellSyntaxError } from '../../sim/shell/parse.ts';

function argvs(line: string): string[][] {
  return parseLine(line).items.map((i) => i.command.argv);
}

describe('shell parser', () => {
  it('splits words and honours quotes and backslashes', () => {
    expect(argvs(`echo 'a b'  "c \\"d\\"" e\\ f`)).toEqual([['echo', 'a b', 'c "d"', 'e f']]);
    expect(argvs(`stat -c '%a %U' /mnt/x`)).toEqual([['stat', '-c', '%a %U', '/mnt/x']]);
    expect(argvs(`echo a'b'"c"`)).toEqual([['echo', 'abc']]);
  });

  it('parses redirections, lists and background jobs', () => {
    const l = parseLine('echo x > /mnt/f && cat /mnt/f; echo y >> f 2>&1 || true');
    expect(l.items.map((i) => i.connector)).toEqual([null, '&&', ';', '||']);
    expect(l.items[0]!.command.redirects).toEqual([{ op: '>', target: '/mnt/f', column: 10 }]);
    expect(l.items[2]!.command.redirects.map((r) => r.op)).toEqual(['>>', '2>&1']);
    expect(parseLine('9p lopen 1 0 &').background).toBe(true);
    expect(parseLine('   # only a comment').items).toEqual([]);
  });

  it('reports unsupported or broken syntax with its column', () => {
    const cases: [string, number, RegExp][] = [
      ['cat a | head', 7, /pipes/],
      ["echo 'open", 6, /unterminated/],
      ['echo $HOME', 6, /variables/],
      ['ls *', 4, /glob/],
      ['&& ls', 1, /unexpected '&&'/],
      ['ls &&', 6, /needs a command/],
      ['echo x >', 8, /needs a file name/],
      ['ls & ls', 6, /only one command list/],
    ];
    for (const [line, col, re] of cases) {
      let err: unknown;
      try { parseLine(line); } catch (e) { err = e; }
      expect(err, line).toBeInstanceOf(ShellSyntaxError);
      expect((err as ShellSyntaxError).column, line).toBe(col);
      expect((err as ShellSyntaxError).message, line).toMatch(re);
    }
  });
});
