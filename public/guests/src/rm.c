/* rm [-r] [-f] PATH... (GNU messages; -r removes depth-first without following symlinks). */
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include "common.h"

static int opt_r, opt_f;

static int remove_tree(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) {
    if (opt_f && errno == ENOENT) return 0;
    fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno));
    return 1;
  }
  if (S_ISDIR(st.st_mode)) {
    if (!opt_r) { fprintf(stderr, "rm: cannot remove '%s': Is a directory\n", path); return 1; }
    DIR *d = opendir(path);
    if (!d) { fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno)); return 1; }
    int status = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
      char child[4096];
      snprintf(child, sizeof child, "%s/%s", path, e->d_name);
      status |= remove_tree(child);
    }
    closedir(d);
    if (rmdir(path) != 0) { fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno)); return 1; }
    return status;
  }
  if (unlink(path) != 0) { fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno)); return 1; }
  return 0;
}

int main(int argc, char **argv) {
  prog = "rm";
  int i = 1, status = 0;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
    for (const char *p = argv[i] + 1; *p; p++) {
      if (*p == 'r' || *p == 'R') opt_r = 1; else if (*p == 'f') opt_f = 1;
      else { fprintf(stderr, "rm: invalid option -- '%c'\n", *p); return 1; }
    }
  if (i >= argc) { if (opt_f) return 0; fputs("rm: missing operand\n", stderr); return 1; }
  for (; i < argc; i++) status |= remove_tree(argv[i]);
  return status;
}
