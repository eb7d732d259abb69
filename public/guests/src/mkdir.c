/* mkdir [-p] DIR... (GNU messages). */
#include <sys/stat.h>
#include "common.h"

static int mkdir_p(char *path) {
  for (char *p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    if (mkdir(path, 0777) != 0 && errno != EEXIST) { *p = '/'; return -1; }
    *p = '/';
  }
  if (mkdir(path, 0777) != 0) {
    struct stat st;
    if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return 0;
    return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  prog = "mkdir";
  int parents = 0, i = 1, status = 0;
  if (i < argc && strcmp(argv[i], "-p") == 0) { parents = 1; i++; }
  if (i >= argc) { fputs("mkdir: missing operand\n", stderr); return 1; }
  for (; i < argc; i++) {
    if ((parents ? mkdir_p(argv[i]) : mkdir(argv[i], 0777)) != 0) {
      fprintf(stderr, "mkdir: cannot create directory '%s': %s\n", argv[i], strerror(errno));
      status = 1;
    }
  }
  return status;
}
