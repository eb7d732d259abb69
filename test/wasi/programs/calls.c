/* calls MODE N [PATH] — make N WASI calls of one kind, for measuring the bridge (scripts/bench-wasi.ts):
 *   clock: clock_gettime (no kernel call: the bridge alone)
 *   stat:  stat(PATH) (path_filestat_get: confined resolution + fstatat on the guest kernel)
 *   read:  pread of 1 byte from PATH (fd_pread: one kernel pread) */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv) {
  if (argc < 3) { fputs("usage: calls clock|stat|read N [PATH]\n", stderr); return 2; }
  long n = strtol(argv[2], NULL, 10);
  const char *path = argc > 3 ? argv[3] : "/";
  long ok = 0;
  if (!strcmp(argv[1], "clock")) {
    struct timespec ts;
    for (long i = 0; i < n; i++) ok += clock_gettime(CLOCK_REALTIME, &ts) == 0;
  } else if (!strcmp(argv[1], "stat")) {
    struct stat st;
    for (long i = 0; i < n; i++) ok += stat(path, &st) == 0;
  } else if (!strcmp(argv[1], "read")) {
    int fd = open(path, O_RDONLY);
    char c;
    for (long i = 0; i < n; i++) ok += pread(fd, &c, 1, 0) == 1;
    close(fd);
  }
  printf("%ld\n", ok);
  return ok == n ? 0 : 1;
}
