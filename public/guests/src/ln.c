/* ln [-s] TARGET LINK_NAME — hard or symbolic link (GNU messages). */
#include <unistd.h>
#include "common.h"

int main(int argc, char **argv) {
  prog = "ln";
  int sym = 0, i = 1;
  if (i < argc && strcmp(argv[i], "-s") == 0) { sym = 1; i++; }
  if (argc - i != 2) { fputs("ln: missing file operand\n", stderr); return 1; }
  const char *target = argv[i], *name = argv[i + 1];
  if ((sym ? symlink(target, name) : link(target, name)) != 0) {
    if (sym) fprintf(stderr, "ln: failed to create symbolic link '%s': %s\n", name, strerror(errno));
    else fprintf(stderr, "ln: failed to create hard link '%s' => '%s': %s\n", name, target, strerror(errno));
    return 1;
  }
  return 0;
}
