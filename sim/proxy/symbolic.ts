// Symbolic renderings of wire values, as the recorded suite writes them (vectors/FORMAT.md Step
// `request.fields[].symbolic` / `octal`): open(2) flags with their x86_64 values (asm-generic/fcntl.h),
// setxattr flags, modes in octal.

/** Open flags above the access mode, lowest bit first (the suite's order: "O_RDONLY|O_NOFOLLOW|O_PATH"). */
const OPEN_FLAG_NAMES: readonly [number, string][] = [
  [0o100, 'O_CREAT'], [0o200, 'O_EXCL'], [0o400, 'O_NOCTTY'], [0o1000, 'O_TRUNC'], [0o2000, 'O_APPEND'],
  [0o4000, 'O_NONBLOCK'], [0o10000, 'O_DSYNC'], [0o20000, 'FASYNC'], [0o40000, 'O_DIRECT'],
  [0o100000, 'O_LARGEFILE'], [0o200000, 'O_DIRECTORY'], [0o400000, 'O_NOFOLLOW'], [0o1000000, 'O_NOATIME'],
  [0o2000000, 'O_CLOEXEC'], [0o4000000, '__O_SYNC'], [0o10000000, 'O_PATH'], [0o20000000, '__O_TMPFILE'],
];
const ACCMODE = ['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_ACCMODE'];

/** e.g. 0xc2 → "O_RDWR|O_CREAT|O_EXCL"; unknown bits are appended as hex. */
export function openFlagsSymbolic(v: number): string {
  const parts = [ACCMODE[v & 3]!];
  let rest = (v >>> 0) & ~3;
  for (const [bit, name] of OPEN_FLAG_NAMES) {
    if (rest & bit) {
      parts.push(name);
      rest &= ~bit;
    }
  }
  if (rest) parts.push(`0x${(rest >>> 0).toString(16)}`);
  return parts.join('|');
}

/** setxattr flags: 0, XATTR_CREATE (1), XATTR_REPLACE (2). */
export function xattrFlagsSymbolic(v: number): string {
  if (v === 0) return '0';
  const parts: string[] = [];
  if (v & 1) parts.push('XATTR_CREATE');
  if (v & 2) parts.push('XATTR_REPLACE');
  const rest = (v >>> 0) & ~3;
  if (rest) parts.push(`0x${rest.toString(16)}`);
  return parts.join('|');
}

/** A mode in octal as the suite writes it: "0o100644", "0o0". */
export function modeOctal(v: number): string {
  return `0o${(v >>> 0).toString(8)}`;
}
