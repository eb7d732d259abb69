/* find [PATH...] [-name PATTERN] [-type f|d|l|p|c|b|s] — pre-order walk in directory order (GNU find
 * does not sort), never following symlinks (-P, the default). */
#include <dirent.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include "common.h"

static const char *opt_name;
static char opt_type;

static char type_of(mode_t m) {
  return S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b'
       : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : 'f';
}

static int walk(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) { fprintf(stderr, "find: '%s': %s\n", path, strerror(errno)); return 1; }
  const char *base = strrchr(path, '/');
  base = (base && base[1]) ? base + 1 : path;
  int match = (!opt_type || type_of(st.st_mode) == opt_type) && (!opt_name || fnmatch(opt_name, base, 0) == 0);
  if (match) printf("%s\n", path);
  if (!S_ISDIR(st.st_mode)) return 0;
  DIR *d = opendir(path);
  if (!d) { fprintf(stderr, "find: '%s': %s\n", path, strerror(errno)); return 1; }
  int status = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char child[4096];
    size_t len = strlen(path);
    snprintf(child, sizeof child, len && path[len - 1] == '/' ? "%s%s" : "%s/%s", path, e->d_name);
    status |= walk(child);
  }
  closedir(d);
  return status;
}

int main(int argc, char **argv) {
  prog = "find";
  int i = 1, nroots = 0, status = 0;
  const char *roots[64];
  for (; i < argc && argv[i][0] != '-' && nroots < 64; i++) roots[nroots++] = argv[i];
  for (; i < argc; i++) {
    if (!strcmp(argv[i], "-name") && i + 1 < argc) opt_name = argv[++i];
    else if (!strcmp(argv[i], "-type") && i + 1 < argc) opt_type = argv[++i][0];
    else { fprintf(stderr, "find: unknown predicate '%s'\n", argv[i]); return 1; }
  }
  if (!nroots) roots[nroots++] = ".";
  for (int r = 0; r < nroots; r++) status |= walk(roots[r]);
  return status;
}
