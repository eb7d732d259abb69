// Parameter names of the wasi_snapshot_preview1 imports (witx), used to show each call in the trace
// with its arguments decoded: `(ptr, len)` pairs of paths become strings.
export const WASI_PARAMS: Record<string, readonly string[]> = {
  args_get: ['argv', 'argv_buf'], args_sizes_get: ['argc', 'argv_buf_size'],
  environ_get: ['environ', 'environ_buf'], environ_sizes_get: ['environ_count', 'environ_buf_size'],
  clock_res_get: ['id', 'resolution'], clock_time_get: ['id', 'precision', 'time'],
  fd_advise: ['fd', 'offset', 'len', 'advice'], fd_allocate: ['fd', 'offset', 'len'], fd_close: ['fd'],
  fd_datasync: ['fd'], fd_fdstat_get: ['fd', 'stat'], fd_fdstat_set_flags: ['fd', 'flags'],
  fd_fdstat_set_rights: ['fd', 'rights_base', 'rights_inheriting'], fd_filestat_get: ['fd', 'buf'],
  fd_filestat_set_size: ['fd', 'size'], fd_filestat_set_times: ['fd', 'atim', 'mtim', 'fst_flags'],
  fd_pread: ['fd', 'iovs', 'iovs_len', 'offset', 'nread'], fd_prestat_get: ['fd', 'buf'],
  fd_prestat_dir_name: ['fd', 'path', 'path_len'], fd_pwrite: ['fd', 'iovs', 'iovs_len', 'offset', 'nwritten'],
  fd_read: ['fd', 'iovs', 'iovs_len', 'nread'], fd_readdir: ['fd', 'buf', 'buf_len', 'cookie', 'bufused'],
  fd_renumber: ['fd', 'to'], fd_seek: ['fd', 'offset', 'whence', 'newoffset'], fd_sync: ['fd'],
  fd_tell: ['fd', 'offset'], fd_write: ['fd', 'iovs', 'iovs_len', 'nwritten'],
  path_create_directory: ['fd', 'path_ptr', 'path_len'],
  path_filestat_get: ['fd', 'flags', 'path_ptr', 'path_len', 'buf'],
  path_filestat_set_times: ['fd', 'flags', 'path_ptr', 'path_len', 'atim', 'mtim', 'fst_flags'],
  path_link: ['old_fd', 'old_flags', 'old_path_ptr', 'old_path_len', 'new_fd', 'new_path_ptr', 'new_path_len'],
  path_open: ['fd', 'dirflags', 'path_ptr', 'path_len', 'oflags', 'fs_rights_base', 'fs_rights_inheriting', 'fdflags', 'opened_fd'],
  path_readlink: ['fd', 'path_ptr', 'path_len', 'buf', 'buf_len', 'nread'],
  path_remove_directory: ['fd', 'path_ptr', 'path_len'],
  path_rename: ['fd', 'old_path_ptr', 'old_path_len', 'new_fd', 'new_path_ptr', 'new_path_len'],
  path_symlink: ['old_path_ptr', 'old_path_len', 'fd', 'new_path_ptr', 'new_path_len'],
  path_unlink_file: ['fd', 'path_ptr', 'path_len'],
  poll_oneoff: ['in', 'out', 'nsubscriptions', 'nevents'], proc_exit: ['rval'], proc_raise: ['sig'],
  random_get: ['buf', 'buf_len'], sched_yield: [],
  sock_accept: ['fd', 'flags', 'fd_out'], sock_recv: ['fd', 'ri_data', 'ri_data_len', 'ri_flags', 'ro_datalen', 'ro_flags'],
  sock_send: ['fd', 'si_data', 'si_data_len', 'si_flags', 'so_datalen'], sock_shutdown: ['fd', 'how'],
};

/** Arguments as the trace shows them: fds and flags as numbers, paths as strings, pointers left out. */
export function describeArgs(name: string, raw: unknown[], mem: () => Uint8Array, decode: (b: Uint8Array) => string): Record<string, unknown> {
  const names = WASI_PARAMS[name] ?? raw.map((_, i) => `arg${i}`);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) {
    const n = names[i]!;
    if (n.endsWith('_ptr') && names[i + 1] === n.replace(/_ptr$/, '_len')) {
      const ptr = Number(raw[i]);
      const len = Number(raw[i + 1]);
      out[n.replace(/_ptr$/, '')] = decode(mem().subarray(ptr, ptr + Math.min(len, 4096)));
      i++;
      continue;
    }
    if (['fd', 'old_fd', 'new_fd', 'to', 'flags', 'dirflags', 'oflags', 'fdflags', 'old_flags', 'whence', 'id', 'rval', 'fst_flags', 'size', 'offset', 'cookie', 'buf_len', 'iovs_len', 'nsubscriptions'].includes(n)) {
      out[n] = typeof raw[i] === 'bigint' ? (raw[i] as bigint).toString() : raw[i];
    }
  }
  return out;
}
