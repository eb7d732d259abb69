import { describe, expect, it } from 'vitest';
import {
  dotlToOpenFlags, errnoMessage, errnoName, errnoNumber, formatDotlFlags, formatOpenFlags, LINUX_O, linuxOpenToDotl,
  maskNames, P9_DOTL, P9_GETATTR, P9_SETATTR, qemuLopenFlags, ERRNO,
} from '../../sim/p9/index.ts';

describe('open flag translation', () => {
  it('P9_DOTL_* values (include/net/9p/9p.h) equal the Linux x86_64 O_* they stand for', () => {
    expect(P9_DOTL.CREATE).toBe(0o100);
    expect(P9_DOTL.DIRECTORY).toBe(0o200000);
    expect(P9_DOTL.NOFOLLOW).toBe(0o400000);
    expect(P9_DOTL.SYNC).toBe(0o4000000);
    expect(LINUX_O.SYNC).toBe(0o4010000);
  });

  it('guest side (v9fs_open_to_dotl_flags): O_TRUNC is not sent; O_DSYNC alone is sent as DSYNC|SYNC (quirk)', () => {
    expect(linuxOpenToDotl(LINUX_O.WRONLY | LINUX_O.TRUNC | LINUX_O.CREAT)).toBe(P9_DOTL.WRONLY | P9_DOTL.CREATE);
    expect(linuxOpenToDotl(LINUX_O.RDONLY | LINUX_O.DSYNC)).toBe(P9_DOTL.DSYNC | P9_DOTL.SYNC);
    expect(linuxOpenToDotl(LINUX_O.RDWR | LINUX_O.CLOEXEC | LINUX_O.NOFOLLOW)).toBe(P9_DOTL.RDWR | P9_DOTL.CLOEXEC | P9_DOTL.NOFOLLOW);
  });

  it('server side (QEMU dotl_to_open_flags): CLOEXEC dropped, LARGEFILE → 0 on x86_64 glibc, SYNC → O_SYNC', () => {
    expect(dotlToOpenFlags(P9_DOTL.RDWR | P9_DOTL.CLOEXEC | P9_DOTL.LARGEFILE)).toBe(LINUX_O.RDWR);
    expect(dotlToOpenFlags(P9_DOTL.SYNC)).toBe(LINUX_O.SYNC);
    expect(dotlToOpenFlags(P9_DOTL.NOACCESS)).toBe(3);
    expect(dotlToOpenFlags(P9_DOTL.TRUNC | P9_DOTL.CREATE)).toBe(LINUX_O.TRUNC | LINUX_O.CREAT);
  });

  it('Tlopen (get_dotl_openflags) filters CREAT, NOCTTY, FASYNC and DIRECT', () => {
    const all = P9_DOTL.WRONLY | P9_DOTL.CREATE | P9_DOTL.NOCTTY | P9_DOTL.FASYNC | P9_DOTL.DIRECT | P9_DOTL.APPEND | P9_DOTL.NOFOLLOW;
    expect(qemuLopenFlags(all)).toBe(LINUX_O.WRONLY | LINUX_O.APPEND | LINUX_O.NOFOLLOW);
  });

  it('formats flags readably', () => {
    expect(formatDotlFlags(P9_DOTL.RDWR | P9_DOTL.CREATE | P9_DOTL.NOFOLLOW)).toBe('RDWR|CREATE|NOFOLLOW');
    expect(formatOpenFlags(LINUX_O.SYNC | LINUX_O.WRONLY)).toBe('O_WRONLY|O_SYNC');
    expect(formatOpenFlags(LINUX_O.DSYNC)).toBe('O_RDONLY|O_DSYNC');
    expect(formatOpenFlags(0x80000000)).toBe('O_RDONLY|0x80000000');
  });

  it('getattr/setattr masks', () => {
    expect(P9_GETATTR.BASIC).toBe(0x7ff);
    expect(P9_GETATTR.ALL).toBe(0x3fff);
    expect(maskNames(0x1000 | 0x1, P9_GETATTR)).toEqual(['MODE', 'GEN']);
    expect(maskNames(P9_SETATTR.MTIME | P9_SETATTR.MTIME_SET | 0x8000, P9_SETATTR)).toEqual(['MTIME', 'MTIME_SET', '0x8000']);
  });
});

describe('errno table (Linux x86_64)', () => {
  it('names, numbers, texts and holes', () => {
    expect(errnoName(2)).toBe('ENOENT');
    expect(errnoName(40)).toBe('ELOOP');
    expect(errnoName(41)).toBe('E41');
    expect(errnoMessage(13)).toBe('Permission denied');
    expect(errnoMessage(999)).toBe('Unknown error 999');
    expect(errnoNumber('EWOULDBLOCK')).toBe(11);
    expect(errnoNumber('ENOTSUP')).toBe(95);
    // scenarios.md §2 list
    expect([ERRNO.EPERM, ERRNO.ENOENT, ERRNO.EIO, ERRNO.ENXIO, ERRNO.EACCES, ERRNO.EEXIST, ERRNO.ENOTDIR, ERRNO.EINVAL, ERRNO.ENOTTY, ERRNO.EROFS, ERRNO.ELOOP])
      .toEqual([1, 2, 5, 6, 13, 17, 20, 22, 25, 30, 40]);
  });
});
