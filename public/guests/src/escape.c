/* escape [MOUNT] [SECRET...] — the escape prober: tries the classic ways out of a 9p export from
 * inside the guest and reports, for each attempt, what it reached:
 *   reached: <first line>   the open succeeded (the text tells whose file it was: guest or host)
 *   refused: <errno text>   the open failed
 * Attempts: `..` from the mount, an absolute path, a symlink to "/" made inside the mount and walked
 * through, a symlink with a `../../..` target, and a symlink to an absolute file. A normal Linux guest
 * resolves symlinks itself (in the guest's namespace), so the symlink attempts read GUEST files: the
 * host escape needs a malicious 9P client (see the raw `9p` console). SECRET defaults to etc/shadow. */
#include <fcntl.h>
#include <unistd.h>
#include "common.h"

static void probe(const char *label, const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) { printf("%-28s %-36s refused: %s\n", label, path, strerror(errno)); return; }
  char buf[256]; ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n < 0) { printf("%-28s %-36s refused: %s\n", label, path, strerror(errno)); return; }
  buf[n] = 0;
  char *nl = strchr(buf, '\n'); if (nl) *nl = 0;
  printf("%-28s %-36s reached: %s\n", label, path, buf);
}

int main(int argc, char **argv) {
  prog = "escape";
  const char *mnt = argc > 1 ? argv[1] : "/mnt";
  const char *secret = argc > 2 ? argv[2] : "etc/shadow";
  char p[4096], l[4096];

  snprintf(p, sizeof p, "%s/../%s", mnt, secret); probe("dotdot-from-mount", p);
  snprintf(p, sizeof p, "%s/../../../../%s", mnt, secret); probe("dotdot-many", p);
  snprintf(p, sizeof p, "/%s", secret); probe("absolute", p);

  snprintf(l, sizeof l, "%s/.escape-root", mnt);
  unlink(l);
  if (symlink("/", l) != 0) printf("%-28s %-36s refused: %s\n", "symlink-to-root (create)", l, strerror(errno));
  snprintf(p, sizeof p, "%s/%s", l, secret); probe("symlink-to-root", p);
  unlink(l);

  snprintf(l, sizeof l, "%s/.escape-up", mnt);
  unlink(l);
  if (symlink("../../../../..", l) != 0) printf("%-28s %-36s refused: %s\n", "symlink-dotdot (create)", l, strerror(errno));
  snprintf(p, sizeof p, "%s/%s", l, secret); probe("symlink-dotdot", p);
  unlink(l);

  snprintf(l, sizeof l, "%s/.escape-file", mnt);
  snprintf(p, sizeof p, "/%s", secret);
  unlink(l);
  if (symlink(p, l) != 0) printf("%-28s %-36s refused: %s\n", "symlink-to-file (create)", l, strerror(errno));
  probe("symlink-to-file", l);
  unlink(l);
  return 0;
}
