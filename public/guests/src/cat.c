/* cat FILE... — copy files to stdout (GNU messages). */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "common.h"

static int cat_fd(int fd, const char *name) {
  char buf[8192];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n == 0) return 0;
    if (n < 0) { fprintf(stderr, "cat: %s: %s\n", name, strerror(errno)); return 1; }
    if (write(1, buf, (size_t)n) != n) return 1;
  }
}

int main(int argc, char **argv) {
  prog = "cat";
  int status = 0;
  if (argc < 2) return cat_fd(0, "-");
  for (int i = 1; i < argc; i++) {
    int fd = open(argv[i], O_RDONLY);
    if (fd < 0) { fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno)); status = 1; continue; }
    status |= cat_fd(fd, argv[i]);
    close(fd);
  }
  return status;
}
