/*
 * Benchmark client for the real virtfs-proxy-helper (QEMU 7.2.22, Debian 12).
 *
 * Makes a socketpair, starts `virtfs-proxy-helper -n -p EXPORT -f FD` on one end and drives it with
 * the metadata mix of scripts/bench.mjs on the other, exactly as QEMU's proxy client would frame it
 * (fid paths with a counted NUL, built names without, proxy-protocol.md §3.2):
 *   T_LSTAT "//file.txt\0", T_OPEN "//file.txt\0" O_RDONLY (+ SCM_RIGHTS fd, closed at once),
 *   T_MKDIR "//d", T_SYMLINK "file.txt" -> "//l", T_RENAME "//l" -> "//m", T_REMOVE "//m", T_REMOVE "//d"
 * Prints one JSON line: {"rounds":N,"requests":R,"seconds":S,"rate":R/S,"cpu_seconds":C,"cpu_rate":R/C}
 * where C is the CPU time (user + system) of this client and of the helper during the timed loop:
 * on a shared machine wall time measures the load, CPU time what a round trip costs.
 *
 * usage: proxy_client HELPER EXPORT ROUNDS
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned char out[65544], in[65544];
static size_t olen;

static void put32(uint32_t v) { memcpy(out + olen, &v, 4); olen += 4; }
static void putstr(const char *s, int with_nul) {
    uint16_t n = (uint16_t)(strlen(s) + (with_nul ? 1 : 0));
    memcpy(out + olen, &n, 2); olen += 2;
    memcpy(out + olen, s, n); olen += n;
}
static void begin(uint32_t type) { olen = 0; put32(type); put32(0); }
static void finish(void) { uint32_t size = (uint32_t)(olen - 8); memcpy(out + 4, &size, 4); }

static void xwrite(int fd) {
    size_t off = 0;
    while (off < olen) {
        ssize_t r = write(fd, out + off, olen - off);
        if (r < 0) { if (errno == EINTR) continue; perror("write"); exit(2); }
        off += (size_t)r;
    }
}
static void xread(int fd, size_t n) {
    size_t off = 0;
    while (off < n) {
        ssize_t r = read(fd, in + off, n - off);
        if (r <= 0) { if (r < 0 && errno == EINTR) continue; fprintf(stderr, "helper closed\n"); exit(2); }
        off += (size_t)r;
    }
}
/* framed reply: header, then payload; returns the type */
static int framed(int fd) {
    uint32_t type, size;
    xread(fd, 8);
    memcpy(&type, in, 4); memcpy(&size, in + 4, 4);
    xread(fd, size);
    return (int)type;
}
/* fd reply: one recvmsg of 4 bytes + optional SCM_RIGHTS */
static int fdreply(int sock) {
    int data = 0, fd = -1;
    struct iovec iov = { &data, sizeof data };
    union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } ctl;
    struct msghdr msg = { 0 };
    msg.msg_iov = &iov; msg.msg_iovlen = 1;
    msg.msg_control = &ctl; msg.msg_controllen = sizeof ctl;
    if (recvmsg(sock, &msg, 0) != 4) { fprintf(stderr, "short fd reply\n"); exit(2); }
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
        memcpy(&fd, CMSG_DATA(c), sizeof fd);
        close(fd);
    }
    return data;
}

/* utime + stime of a process from /proc/PID/stat, in seconds */
static double proc_cpu(pid_t pid) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    unsigned long ut = 0, st = 0;
    if (p) sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st);
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}
static double self_cpu(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void check(int ok, const char *what) { if (!ok) { fprintf(stderr, "unexpected reply to %s\n", what); exit(3); } }

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s HELPER EXPORT ROUNDS\n", argv[0]); return 1; }
    long rounds = atol(argv[3]);
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) { perror("socketpair"); return 2; }
    pid_t pid = fork();
    if (pid == 0) {
        char fdstr[16];
        close(sv[0]);
        snprintf(fdstr, sizeof fdstr, "%d", sv[1]);
        int devnull = open("/dev/null", 1);
        if (devnull >= 0) dup2(devnull, 2);
        execl(argv[1], argv[1], "-n", "-p", argv[2], "-f", fdstr, (char *)NULL);
        _exit(127);
    }
    close(sv[1]);
    int s = sv[0];
    struct timespec t0, t1;
    long requests = 0;
    /* warm-up round trip (QEMU's realize request) */
    begin(8); putstr("/", 1); finish(); xwrite(s); check(framed(s) == 0, "lstat /");
    double c0 = self_cpu() + proc_cpu(pid);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < rounds; i++) {
        begin(8); putstr("//file.txt", 1); finish(); xwrite(s); check(framed(s) == 0, "lstat");
        begin(2); putstr("//file.txt", 1); put32(0); finish(); xwrite(s); check(fdreply(s) == 0x7fffffff, "open");
        begin(5); put32(0); put32(0); putstr("//d", 0); put32(0755); finish(); xwrite(s); check(framed(s) == 0, "mkdir");
        begin(6); put32(0); put32(0); putstr("file.txt", 0); putstr("//l", 0); finish(); xwrite(s); check(framed(s) == 0, "symlink");
        begin(15); putstr("//l", 0); putstr("//m", 0); finish(); xwrite(s); check(framed(s) == 0, "rename");
        begin(16); putstr("//m", 0); finish(); xwrite(s); check(framed(s) == 0, "remove m");
        begin(16); putstr("//d", 0); finish(); xwrite(s); check(framed(s) == 0, "remove d");
        requests += 7;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double cpu = self_cpu() + proc_cpu(pid) - c0;
    close(s);
    int status;
    waitpid(pid, &status, 0);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("{\"rounds\":%ld,\"requests\":%ld,\"seconds\":%.6f,\"rate\":%.1f,\"cpu_seconds\":%.6f,\"cpu_rate\":%.1f,\"helper_exit\":%d}\n",
           rounds, requests, secs, requests / secs, cpu, cpu > 0 ? requests / cpu : 0.0, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}
