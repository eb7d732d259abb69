// Offsets ↔ line/column, the way editors count them: lines and columns from 1, columns in UTF-16
// code units (the same unit as CodeMirror positions and JavaScript string indices).

export interface LineCol {
  line: number;
  column: number;
}

export function lineColAt(text: string, offset: number): LineCol {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

export function offsetAt(text: string, line: number, column: number): number {
  let l = 1;
  let i = 0;
  while (l < line && i < text.length) {
    if (text.charCodeAt(i) === 10) l++;
    i++;
  }
  return Math.min(i + Math.max(column - 1, 0), text.length);
}
