// GNU coreutils 9.1 output formats (Debian 12), checked against the real `ls`/`stat` on this machine
// with LC_ALL=C TZ=UTC: mode strings (lib/filemode.c), ls -l columns (src/ls.c), stat's default
// format and its %-letters (src/stat.c). Times are printed in UTC: the simulated machines have no TZ.

// The Linux file-type bits, from the one table of the kernel ABI (re-exported for the commands).
import { S_IFMT, S_IFSOCK, S_IFLNK, S_IFREG, S_IFBLK, S_IFDIR, S_IFCHR, S_IFIFO } from '../host/constants.ts';
export { S_IFMT, S_IFSOCK, S_IFLNK, S_IFREG, S_IFBLK, S_IFDIR, S_IFCHR, S_IFIFO };

/** The stat fields the shell prints; adapted from any kernel's stat (times in ns as bigint). */
export interface StatView {
  dev: number;
  ino: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  size: number;
  blksize: number;
  blocks: number;
  atimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  /** Birth time when the filesystem reports one (statx); null prints "-". */
  btimeNs: bigint | null;
}


/** lib/filemode.c ftypelet + rwx with setuid/setgid/sticky letters. */
export function modeString(mode: number): string {
  const t = mode & S_IFMT;
  const typ = t === S_IFDIR ? 'd' : t === S_IFLNK ? 'l' : t === S_IFCHR ? 'c' : t === S_IFBLK ? 'b'
    : t === S_IFIFO ? 'p' : t === S_IFSOCK ? 's' : t === S_IFREG ? '-' : '?';
  const r = (bit: number, ch: string) => (mode & bit ? ch : '-');
  const x = (exec: number, special: number, on: string, off: string) =>
    mode & special ? (mode & exec ? on : off) : mode & exec ? 'x' : '-';
  return typ
    + r(0o400, 'r') + r(0o200, 'w') + x(0o100, 0o4000, 's', 'S')
    + r(0o040, 'r') + r(0o020, 'w') + x(0o010, 0o2000, 's', 'S')
    + r(0o004, 'r') + r(0o002, 'w') + x(0o001, 0o1000, 't', 'T');
}

/** stat %F (src/stat.c file_type). */
export function fileTypeName(mode: number, size: number): string {
  switch (mode & S_IFMT) {
    case S_IFREG: return size === 0 ? 'regular empty file' : 'regular file';
    case S_IFDIR: return 'directory';
    case S_IFLNK: return 'symbolic link';
    case S_IFCHR: return 'character special file';
    case S_IFBLK: return 'block special file';
    case S_IFIFO: return 'fifo';
    case S_IFSOCK: return 'socket';
    default: return 'weird file';
  }
}

/** Linux's new_encode_dev split (include/linux/kdev_t.h): st_dev / st_rdev as glibc decodes them. */
export function devMajor(dev: number): number { return ((dev >>> 8) & 0xfff) | (Math.floor(dev / 2 ** 32) & ~0xfff); }
export function devMinor(dev: number): number { return (dev & 0xff) | ((dev >>> 12) & ~0xff & 0xfffff); }

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Civil date in UTC from seconds since the epoch (Howard Hinnant's days_from_civil inverse). */
export function civil(sec: number): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const days = Math.floor(sec / 86400);
  const rem = sec - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const mo = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (mo <= 2 ? 1 : 0);
  return { y, mo, d, h: Math.floor(rem / 3600), mi: Math.floor((rem % 3600) / 60), s: rem % 60 };
}

const p2 = (n: number) => String(n).padStart(2, '0');

function splitNs(ns: bigint): { sec: number; nsec: number } {
  let sec = ns / 1_000_000_000n;
  let nsec = ns % 1_000_000_000n;
  if (nsec < 0n) { nsec += 1_000_000_000n; sec -= 1n; }
  return { sec: Number(sec), nsec: Number(nsec) };
}

/** stat %x/%y/%z: `2026-11-27 05:39:35.453483032 +0000`. */
export function statTime(ns: bigint): string {
  const { sec, nsec } = splitNs(ns);
  const c = civil(sec);
  return `${c.y}-${p2(c.mo)}-${p2(c.d)} ${p2(c.h)}:${p2(c.mi)}:${p2(c.s)}.${String(nsec).padStart(9, '0')} +0000`;
}

export function statSeconds(ns: bigint): string { return String(splitNs(ns).sec); }

/** GNU ls: 'recent' (within six months before now) → `%b %e %H:%M`, else `%b %e  %Y` (src/ls.c). */
export function lsTime(ns: bigint, nowNs: bigint): string {
  // ls.c: six_months_ago = current_time - 31556952 / 2 (half an average Gregorian year).
  const sixMonths = BigInt(31556952 / 2) * 1_000_000_000n;
  const recent = ns > nowNs - sixMonths && ns <= nowNs;
  const { sec } = splitNs(ns);
  const c = civil(sec);
  const day = String(c.d).padStart(2, ' ');
  return recent ? `${MONTHS[c.mo - 1]} ${day} ${p2(c.h)}:${p2(c.mi)}` : `${MONTHS[c.mo - 1]} ${day}  ${c.y}`;
}

export interface LsRow { name: string; st: StatView; owner: string; group: string; linkTarget?: string }

/** `ls -l` rows with GNU column widths (nlink, owner, group, size or "major, minor"). */
export function lsLong(rows: LsRow[], nowNs: bigint): string[] {
  const isDev = (m: number) => (m & S_IFMT) === S_IFCHR || (m & S_IFMT) === S_IFBLK;
  let nlinkW = 0, ownerW = 0, groupW = 0, sizeW = 0, majW = 0, minW = 0;
  for (const r of rows) {
    nlinkW = Math.max(nlinkW, String(r.st.nlink).length);
    ownerW = Math.max(ownerW, r.owner.length);
    groupW = Math.max(groupW, r.group.length);
    if (isDev(r.st.mode)) {
      majW = Math.max(majW, String(devMajor(r.st.rdev)).length);
      minW = Math.max(minW, String(devMinor(r.st.rdev)).length);
      sizeW = Math.max(sizeW, majW + 2 + minW);
    } else sizeW = Math.max(sizeW, String(r.st.size).length);
  }
  return rows.map((r) => {
    let size: string;
    if (isDev(r.st.mode)) {
      const blanks = sizeW - (majW + 2 + minW);
      size = `${String(devMajor(r.st.rdev)).padStart(majW + Math.max(0, blanks))}, ${String(devMinor(r.st.rdev)).padStart(minW)}`;
    } else size = String(r.st.size).padStart(sizeW);
    const name = r.linkTarget !== undefined ? `${r.name} -> ${r.linkTarget}` : r.name;
    return `${modeString(r.st.mode)} ${String(r.st.nlink).padStart(nlinkW)} ${r.owner.padEnd(ownerW)} ${r.group.padEnd(groupW)} ${size} ${lsTime(r.st.mtimeNs, nowNs)} ${name}`;
  });
}

/** GNU quoting of %N and messages: 'name' unless it needs escaping (shell-escape-always, simplified). */
export function quote(name: string): string {
  if (!/'/.test(name)) return `'${name}'`;
  return `"${name.replace(/(["\\$`])/g, '\\$1')}"`;
}

export interface StatFmtContext { name: string; st: StatView; owner: string; group: string; linkTarget?: string; mountPoint: string }

/** stat --format / -c: the %-letters of coreutils 9.1 stat.c print_stat (file mode, not --file-system). */
export function statFormat(fmt: string, c: StatFmtContext): string {
  const st = c.st;
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i]!;
    if (ch === '\\' && i + 1 < fmt.length) {
      const e = fmt[++i]!;
      out += e === 'n' ? '\n' : e === 't' ? '\t' : e === '\\' ? '\\' : '\\' + e;
      continue;
    }
    if (ch !== '%') { out += ch; continue; }
    // flags and width: %-10s, %04a, %10.10A
    const m = /^([-#0 +]*)(\d*)(?:\.(\d+))?([HL]?)([a-zA-Z%])/.exec(fmt.slice(i + 1));
    if (!m) { out += '%'; continue; }
    i += m[0].length;
    const [, flags, width, prec, hl, letter] = m as unknown as [string, string, string, string | undefined, string, string];
    let v: string;
    switch (letter) {
      case '%': v = '%'; break;
      case 'a': v = (st.mode & 0o7777).toString(8); break;
      case 'A': v = modeString(st.mode); break;
      case 'b': v = String(st.blocks); break;
      case 'B': v = '512'; break;
      case 'd': v = hl === 'H' ? String(devMajor(st.dev)) : hl === 'L' ? String(devMinor(st.dev)) : String(st.dev); break;
      case 'D': v = st.dev.toString(16); break;
      case 'f': v = st.mode.toString(16); break;
      case 'F': v = fileTypeName(st.mode, st.size); break;
      case 'g': v = String(st.gid); break;
      case 'G': v = c.group; break;
      case 'h': v = String(st.nlink); break;
      case 'i': v = String(st.ino); break;
      case 'm': v = c.mountPoint; break;
      case 'n': v = c.name; break;
      case 'N': v = c.linkTarget !== undefined ? `${quote(c.name)} -> ${quote(c.linkTarget)}` : quote(c.name); break;
      case 'o': v = String(st.blksize); break;
      case 'r': v = hl === 'H' ? String(devMajor(st.rdev)) : hl === 'L' ? String(devMinor(st.rdev)) : String(st.rdev); break;
      case 's': v = String(st.size); break;
      case 't': v = devMajor(st.rdev).toString(16); break;
      case 'T': v = devMinor(st.rdev).toString(16); break;
      case 'u': v = String(st.uid); break;
      case 'U': v = c.owner; break;
      case 'w': v = st.btimeNs === null ? '-' : statTime(st.btimeNs); break;
      case 'W': v = st.btimeNs === null ? '0' : statSeconds(st.btimeNs); break;
      case 'x': v = statTime(st.atimeNs); break;
      case 'X': v = statSeconds(st.atimeNs); break;
      case 'y': v = statTime(st.mtimeNs); break;
      case 'Y': v = statSeconds(st.mtimeNs); break;
      case 'z': v = statTime(st.ctimeNs); break;
      case 'Z': v = statSeconds(st.ctimeNs); break;
      default: v = '?'; break;
    }
    if (prec !== undefined) v = v.slice(0, Number(prec));
    const w = width ? Number(width) : 0;
    if (v.length < w) {
      if (flags.includes('-')) v = v.padEnd(w);
      else if (flags.includes('0') && /^\d+$/.test(v)) v = v.padStart(w, '0');
      else v = v.padStart(w);
    }
    out += v;
  }
  return out;
}

/** stat's default format (coreutils 9.1 default_format, with the device-type variant). */
export function statDefault(c: StatFmtContext): string {
  const t = c.st.mode & S_IFMT;
  const device = t === S_IFCHR || t === S_IFBLK;
  // %N for the "File:" line prints names unquoted unless they need quoting (9.1 output above: "File: f",
  // "File: l -> f").
  const file = c.linkTarget !== undefined ? `${bare(c.name)} -> ${bare(c.linkTarget)}` : bare(c.name);
  const fmt = `  File: ${file.replace(/%/g, '%%')}\n`
    + '  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n'
    + (device ? 'Device: %Hd,%Ld\tInode: %-11i Links: %-5h Device type: %Hr,%Lr\n' : 'Device: %Hd,%Ld\tInode: %-11i Links: %h\n')
    + 'Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n'
    + 'Access: %x\nModify: %y\nChange: %z\n Birth: %w\n';
  return statFormat(fmt, c);
}

function bare(name: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(name) ? name : quote(name);
}
