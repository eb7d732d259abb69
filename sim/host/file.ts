// Open file descriptions (struct file): shared by every fd that dup()/fork()/SCM_RIGHTS made from one
// open(), with the access mode, status flags and offset (open(2) "open file description").
import type { Location } from './mount.ts';
import type { FsFile } from './vfs.ts';
import type { Pipe } from './pipe.ts';
import type { UnixSocket } from './unix-socket.ts';

export type FileKind = 'regular' | 'directory' | 'symlink' | 'fifo' | 'chardev' | 'blockdev' | 'socket' | 'pipe';

export class OpenFile {
  /** Stable id of the description (for "which process has what open" and trace fd identity). */
  readonly id: number;
  /** Status flags as F_GETFL reports them (access mode | O_APPEND | O_NONBLOCK | O_LARGEFILE …). */
  flags: number;
  pos = 0;
  /** fds (in any process) and in-flight SCM_RIGHTS messages referring to this description. */
  refs = 0;
  /** Directory stream position: index into the entries snapshot (getdents cookie). */
  dirCookie = 0;
  dirSnapshot: { ino: number; type: number; bname: string }[] | undefined;
  closed = false;
  /** The filesystem's per-open state, when it has an open hook (vfs.ts FsInode.open). */
  handle: FsFile | undefined;

  constructor(
    /** Per-kernel number (Kernel.nextObjectId): deterministic across runs in one JS process. */
    id: number,
    readonly kind: FileKind,
    flags: number,
    /** The opened object, absent for anonymous pipes and sockets. */
    readonly loc: Location | undefined,
    /** The path used to open it (display; a byte string). */
    readonly path: string,
    readonly pipe?: Pipe,
    readonly socket?: UnixSocket,
    /** For device nodes: the rdev opened. */
    readonly rdev?: bigint,
  ) {
    this.id = id;
    this.flags = flags;
  }

  get accmode(): number {
    return this.flags & 3;
  }
  get isPath(): boolean {
    return (this.flags & 0o10000000) !== 0;
  }
  canRead(): boolean {
    return !this.isPath && (this.accmode === 0 || this.accmode === 2);
  }
  canWrite(): boolean {
    return !this.isPath && (this.accmode === 1 || this.accmode === 2);
  }
}
