/* touch [-a|-m] [-d @SEC[.NSEC]] FILE... — create or set times with utimensat (GNU messages). */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "common.h"

int main(int argc, char **argv) {
  prog = "touch";
  int only_a = 0, only_m = 0, i = 1, status = 0;
  struct timespec when = { 0, UTIME_NOW };
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (!strcmp(argv[i], "-a")) only_a = 1;
    else if (!strcmp(argv[i], "-m")) only_m = 1;
    else if (!strcmp(argv[i], "-d") && i + 1 < argc && argv[i + 1][0] == '@') {
      char *end; when.tv_sec = strtoll(argv[++i] + 1, &end, 10); when.tv_nsec = 0;
      if (*end == '.') {
        long ns = 0; int digits = 0;
        for (char *p = end + 1; *p >= '0' && *p <= '9' && digits < 9; p++, digits++) ns = ns * 10 + (*p - '0');
        while (digits++ < 9) ns *= 10;
        when.tv_nsec = ns;
      }
    } else { fprintf(stderr, "touch: invalid option -- '%s'\n", argv[i] + 1); return 1; }
  }
  if (i >= argc) { fputs("touch: missing file operand\n", stderr); return 1; }
  struct timespec ts[2] = { when, when };
  if (only_a && !only_m) ts[1].tv_nsec = UTIME_OMIT;
  if (only_m && !only_a) ts[0].tv_nsec = UTIME_OMIT;
  for (; i < argc; i++) {
    int fd = open(argv[i], O_WRONLY | O_CREAT | O_NONBLOCK, 0666);
    if (fd >= 0) close(fd);
    else if (errno != EISDIR) { fprintf(stderr, "touch: cannot touch '%s': %s\n", argv[i], strerror(errno)); status = 1; continue; }
    if (utimensat(AT_FDCWD, argv[i], ts, 0) != 0) {
      fprintf(stderr, "touch: setting times of '%s': %s\n", argv[i], strerror(errno)); status = 1;
    }
  }
  return status;
}
