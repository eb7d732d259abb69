/* mv SOURCE DEST — rename(2); into DEST/ when DEST is a directory (GNU messages). */
#include <sys/stat.h>
#include "common.h"

int main(int argc, char **argv) {
  prog = "mv";
  if (argc != 3) { fputs("mv: missing file operand\n", stderr); return 1; }
  const char *src = argv[1];
  char dst[4096];
  snprintf(dst, sizeof dst, "%s", argv[2]);
  struct stat st;
  if (stat(argv[2], &st) == 0 && S_ISDIR(st.st_mode)) {
    const char *base = strrchr(src, '/');
    snprintf(dst, sizeof dst, "%s/%s", argv[2], base ? base + 1 : src);
  }
  if (rename(src, dst) != 0) {
    if (errno == ENOENT) {
      struct stat s;
      if (lstat(src, &s) != 0) { fprintf(stderr, "mv: cannot stat '%s': %s\n", src, strerror(errno)); return 1; }
    }
    fprintf(stderr, "mv: cannot move '%s' to '%s': %s\n", src, dst, strerror(errno));
    return 1;
  }
  return 0;
}
