/* ls [-a] [-i] [-l] [PATH...] — list directories, names sorted bytewise (as GNU ls with LC_ALL=C),
 * one per line (GNU ls prints one per line when stdout is not a terminal).
 * -l prints what WASI can know: type letter, link count, size, mtime (seconds) and name (-> target);
 * WASI has no owners or permission bits, so unlike the shell's `ls -l` there are none here. */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "common.h"

static int opt_a, opt_i, opt_l;

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static char type_letter(mode_t m) {
  return S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b'
       : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
}

static void show(const char *dir, const char *name) {
  char path[4096];
  if (dir) snprintf(path, sizeof path, "%s/%s", dir, name); else snprintf(path, sizeof path, "%s", name);
  struct stat st;
  int have = lstat(path, &st) == 0;
  if (opt_i) printf("%llu ", have ? (unsigned long long)st.st_ino : 0ULL);
  if (opt_l) {
    if (!have) { die_errno("cannot access", path); return; }
    printf("%c %llu %llu %lld %s", type_letter(st.st_mode), (unsigned long long)st.st_nlink,
           (unsigned long long)st.st_size, (long long)st.st_mtim.tv_sec, name);
    if (S_ISLNK(st.st_mode)) {
      char t[4096]; ssize_t n = readlink(path, t, sizeof t - 1);
      if (n >= 0) { t[n] = 0; printf(" -> %s", t); }
    }
    putchar('\n');
  } else {
    printf("%s\n", name);
  }
}

static int list(const char *path, int header) {
  struct stat st;
  if (lstat(path, &st) != 0) { die_errno("cannot access", path); return 2; }
  if (!S_ISDIR(st.st_mode)) { show(NULL, path); return 0; }
  DIR *d = opendir(path);
  if (!d) { die_errno("cannot open directory", path); return 2; }
  size_t n = 0, cap = 64; char **names = malloc(cap * sizeof *names);
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!opt_a && e->d_name[0] == '.') continue;
    if (n == cap) names = realloc(names, (cap *= 2) * sizeof *names);
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, cmp);
  if (header) printf("%s:\n", path);
  for (size_t i = 0; i < n; i++) { show(path, names[i]); free(names[i]); }
  free(names);
  return 0;
}

int main(int argc, char **argv) {
  prog = "ls";
  int first = 1;
  for (; first < argc && argv[first][0] == '-' && argv[first][1]; first++) {
    for (const char *p = argv[first] + 1; *p; p++) {
      if (*p == 'a') opt_a = 1; else if (*p == 'i') opt_i = 1; else if (*p == 'l') opt_l = 1;
      else if (*p == '1') ; else { fprintf(stderr, "ls: invalid option -- '%c'\n", *p); return 2; }
    }
  }
  if (first == argc) return list(".", 0);
  int status = 0, many = argc - first > 1;
  for (int i = first; i < argc; i++) {
    if (many && i > first) putchar('\n');
    int r = list(argv[i], many);
    if (r > status) status = r;
  }
  return status;
}
