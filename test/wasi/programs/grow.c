/* Grows memory without bound, touching one byte per 4 KiB page: stopped by the memory limit
 * (malloc fails; the program reports it and aborts, which traps). The blocks are kept in a list
 * read at the end so the compiler cannot drop the allocations. */
#include <stdio.h>
#include <stdlib.h>
struct block { struct block *next; char data[(1 << 20) - sizeof(void *)]; };
int main(void) {
  struct block *head = NULL;
  size_t total = 0;
  for (;;) {
    struct block *b = malloc(sizeof *b);
    if (!b) {
      size_t n = 0;
      for (struct block *p = head; p; p = p->next) n += (unsigned char)p->data[0];
      fprintf(stderr, "grow: malloc failed after %zu MiB (%zu blocks)\n", total >> 20, n);
      abort();
    }
    for (size_t i = 0; i < sizeof b->data; i += 4096) ((volatile char *)b->data)[i] = 1;
    b->next = head;
    head = b;
    total += 1 << 20;
  }
}
