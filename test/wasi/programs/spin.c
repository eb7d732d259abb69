/* Runs forever without making a call: only the fuel limit can stop it. */
int main(void) { volatile unsigned long n = 0; for (;;) n++; }
