/* POSIX gives the lowest free descriptor: open a, b; close a; open c → c gets a's number. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
int main(int argc, char **argv) {
  const char *d = argc > 1 ? argv[1] : ".";
  if (chdir(d) != 0) { perror("chdir"); return 1; }
  int a = open("a", O_WRONLY | O_CREAT, 0644), b = open("b", O_WRONLY | O_CREAT, 0644);
  close(a);
  int c = open("c", O_WRONLY | O_CREAT, 0644);
  printf("%d %d %d\n", a, b, c);
  return 0;
}
