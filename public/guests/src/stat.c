/* stat [-c FORMAT] PATH... — GNU stat's -c format letters that WASI can answer:
 * %n name, %N quoted name (-> 'target'), %s size, %h links, %i inode, %d device, %F type,
 * %X %Y %Z atime/mtime/ctime seconds, %% percent. Without -c: "%n %F %s %h %i" — the default GNU
 * layout needs owners and permission bits, which WASI does not have. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "common.h"

static void emit(const char *fmt, const char *path, const struct stat *st) {
  for (const char *p = fmt; *p; p++) {
    if (*p != '%' || !p[1]) { putchar(*p); continue; }
    switch (*++p) {
      case 'n': fputs(path, stdout); break;
      case 'N':
        printf("'%s'", path);
        if (S_ISLNK(st->st_mode)) {
          char t[4096]; ssize_t n = readlink(path, t, sizeof t - 1);
          if (n >= 0) { t[n] = 0; printf(" -> '%s'", t); }
        }
        break;
      case 's': printf("%lld", (long long)st->st_size); break;
      case 'h': printf("%llu", (unsigned long long)st->st_nlink); break;
      case 'i': printf("%llu", (unsigned long long)st->st_ino); break;
      case 'd': printf("%llu", (unsigned long long)st->st_dev); break;
      case 'F': fputs(type_name(st->st_mode), stdout); break;
      case 'X': printf("%lld", (long long)st->st_atim.tv_sec); break;
      case 'Y': printf("%lld", (long long)st->st_mtim.tv_sec); break;
      case 'Z': printf("%lld", (long long)st->st_ctim.tv_sec); break;
      case '%': putchar('%'); break;
      default: putchar('?'); break;
    }
  }
  putchar('\n');
}

int main(int argc, char **argv) {
  prog = "stat";
  const char *fmt = "%n %F %s %h %i";
  int i = 1;
  if (i + 1 < argc && strcmp(argv[i], "-c") == 0) { fmt = argv[i + 1]; i += 2; }
  if (i >= argc) { fputs("stat: missing operand\n", stderr); return 1; }
  int status = 0;
  for (; i < argc; i++) {
    struct stat st;
    if (lstat(argv[i], &st) != 0) {
      fprintf(stderr, "stat: cannot statx '%s': %s\n", argv[i], strerror(errno));
      status = 1; continue;
    }
    emit(fmt, argv[i], &st);
  }
  return status;
}
