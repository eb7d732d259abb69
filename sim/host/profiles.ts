// Visible values of the filesystems the host exports live on. Each value cites what it reproduces.
// Recorded replies (vectors/proxy-conformance-public.json, QEMU 7.2.22 helper, Linux 6.18):
//   ext4  STATFS basic_fd/statfs_root: f_type 0xef53, f_bsize 4096, f_namelen 255, f_frsize 4096,
//         f_blocks 0x3efe39d, f_files 0x1000000, fsid {0xc8a30404, 0x561b18f2}
//   ext4  LSTAT basic_fd/lstat_root: dir size 4096, blocks 8, blksize 4096;
//         lstat_symlink_abs: 11-byte target, size 11, blocks 0 (fast symlink);
//         lstat_file: 12-byte file, blocks 8; lstat_after_utime: 'abc' written, truncate(1),
//         truncate(100000) → size 100000, blocks 8 (sparse: only the written page is allocated);
//         lstat_chr: size 0, blocks 0; st_dev 0xfe00 (proxy-protocol.md §6.1 realize reply).
//   tmpfs STATFS tmpfs/statfs_root: f_type 0x01021994, f_bsize 4096, f_namelen 255, f_frsize 4096,
//         f_blocks 0x5e298f, f_files 0x2f14c7.
//   tmpfs LSTAT tmpfs/lstat_file: 12-byte file, blocks 8, blksize 4096.
// From the Linux sources (fs/ext4, mm/shmem.c) where no reply shows the value:
//   tmpfs directory size = BOGO_DIRENT_SIZE (20) × (2 + entries), blocks 0 (shmem_mknod/shmem_link);
//   tmpfs symlinks shorter than SHORT_SYMLINK_LEN (128) are inline (0 blocks), longer ones use a page;
//   ext4 fast symlinks are < 60 bytes (i_data), longer ones take one block;
//   ext4 directories grow by whole blocks as linux_dirent records (8 + name rounded up to 4) fill them
//   and never shrink; tmpfs has no FS_IOC_GETVERSION (ENOTTY), ext4 returns i_generation.

export interface FsProfile {
  readonly name: 'ext4' | 'tmpfs';
  readonly magic: number;
  readonly blksize: number;
  readonly namelen: number;
  /** Default statfs totals. */
  readonly totalBlocks: number;
  readonly totalInodes: number;
  /** ext4 reserves 5 % of blocks for root: bavail < bfree. */
  readonly reservedBlocks: number;
  readonly fsid: [number, number];
  /** st_dev (glibc encoding). */
  readonly dev: number;
  /** First inode number handed out; the root gets `rootIno`. */
  readonly rootIno: number;
  readonly firstIno: number;
  readonly hasGeneration: boolean;
  /** Longest symlink target stored without a data block. */
  readonly inlineSymlinkMax: number;
  /** ext4 keeps xattrs in-inode up to about this many bytes (256-byte inodes), then takes a block. */
  readonly inodeXattrSpace: number;
}

export const EXT4_PROFILE: FsProfile = {
  name: 'ext4',
  magic: 0xef53,
  blksize: 4096,
  namelen: 255,
  totalBlocks: 0x3efe39d,
  totalInodes: 0x1000000,
  reservedBlocks: Math.floor(0x3efe39d / 20),
  fsid: [0xc8a30404 | 0, 0x561b18f2],
  dev: 0xfe00,
  rootIno: 2,
  firstIno: 12,
  hasGeneration: true,
  inlineSymlinkMax: 59,
  inodeXattrSpace: 100,
};

export const TMPFS_PROFILE: FsProfile = {
  name: 'tmpfs',
  magic: 0x01021994,
  blksize: 4096,
  namelen: 255,
  totalBlocks: 0x5e298f,
  totalInodes: 0x2f14c7,
  reservedBlocks: 0,
  fsid: [0x7989bf65, 0x192d3829],
  dev: 0x1a,
  rootIno: 1,
  firstIno: 2,
  hasGeneration: false,
  inlineSymlinkMax: 127,
  inodeXattrSpace: Number.POSITIVE_INFINITY,
};

export const PROFILES = { ext4: EXT4_PROFILE, tmpfs: TMPFS_PROFILE } as const;

/** tmpfs: mm/shmem.c BOGO_DIRENT_SIZE. */
export const BOGO_DIRENT_SIZE = 20;
/** ext4 dirent record length for a name (fs/ext4/ext4.h EXT4_DIR_REC_LEN, 4-byte aligned). */
export const ext4DirRecLen = (nameLen: number): number => (8 + nameLen + 3) & ~3;
