/* The stack.md §4 probe: list, read, mkdir, symlink, readlink, read through the link, create/write,
 * rename, unlink, list again; exit 3. Argument 1: the directory to work in. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
static void list(const char *d) {
  DIR *dir = opendir(d); struct dirent *e;
  if (!dir) { perror("opendir"); return; }
  while ((e = readdir(dir))) { if (e->d_name[0] != '.') printf("  %s\n", e->d_name); }
  closedir(dir);
}
int main(int argc, char **argv) {
  const char *d = argc > 1 ? argv[1] : ".";
  char p[512], q[512], buf[256];
  if (chdir(d) != 0) { perror("chdir"); return 1; }
  puts("before:"); list(".");
  int fd = open("hello.txt", O_RDONLY); ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
  if (n >= 0) { buf[n] = 0; printf("hello.txt: %s", buf); close(fd); } else perror("hello.txt");
  if (mkdir("sub", 0755) != 0) perror("mkdir");
  if (symlink("../hello.txt", "sub/link") != 0) perror("symlink");
  n = readlink("sub/link", buf, sizeof buf - 1); if (n >= 0) { buf[n] = 0; printf("sub/link -> %s\n", buf); }
  fd = open("sub/link", O_RDONLY); n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
  if (n >= 0) { buf[n] = 0; printf("via link: %s", buf); close(fd); } else perror("sub/link");
  fd = open("new.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) { write(fd, "new\n", 4); close(fd); } else perror("new.txt");
  snprintf(p, sizeof p, "new.txt"); snprintf(q, sizeof q, "renamed.txt");
  if (rename(p, q) != 0) perror("rename");
  struct stat st; if (stat(q, &st) == 0) printf("renamed.txt: %lld bytes\n", (long long)st.st_size);
  if (unlink("sub/link") != 0) perror("unlink");
  puts("after:"); list(".");
  return 3;
}
