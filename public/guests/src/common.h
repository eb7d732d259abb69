/* Shared helpers for the virtfs-lab WASI guest programs.
 * They run under WASI preview1 (wasi-libc 2022-05) inside the playground: every file call becomes a
 * call into the simulated guest kernel, then 9P2000.L, then QEMU's fsdev driver (and for proxy the
 * helper's chroot). Messages follow GNU coreutils so the output can be compared with the built-in shell.
 * WASI has no owners or permission bits (its filestat carries dev, ino, filetype, nlink, size and
 * times only), so these tools print what WASI can know and nothing invented. */
#ifndef VIRTFS_GUEST_COMMON_H
#define VIRTFS_GUEST_COMMON_H
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <unistd.h>

static const char *prog = "?";

/* wasi-libc starts every program in "/"; the shell passes its working directory as $PWD. */
__attribute__((constructor)) static void follow_pwd(void) {
  const char *d = getenv("PWD");
  if (d && *d) chdir(d);
}

/* GNU quoting as `ls`/`stat` print a file name in diagnostics: 'name'. */
static void die_errno(const char *what, const char *path) {
  fprintf(stderr, "%s: %s '%s': %s\n", prog, what, path, strerror(errno));
}

static const char *type_name(mode_t m) {
  if (S_ISREG(m)) return "regular file";
  if (S_ISDIR(m)) return "directory";
  if (S_ISLNK(m)) return "symbolic link";
  if (S_ISCHR(m)) return "character special file";
  if (S_ISBLK(m)) return "block special file";
  if (S_ISFIFO(m)) return "fifo";
  if (S_ISSOCK(m)) return "socket";
  return "weird file";
}
#endif
