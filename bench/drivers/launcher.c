/* Starts one driver and reports its rusage: `launcher REPORT TIMEOUT_S CMD [ARGS...]`.
 *
 * Why not fork from run.py directly: Linux carries the peak RSS of the forking process's memory
 * into the child's ru_maxrss across exec, so every driver forked by the Python orchestrator
 * would report at least the orchestrator's own RSS. This launcher is tiny, so the driver forked
 * from it starts from a near-zero high-water mark and wait4 gives its true peak.
 *
 * REPORT gets one JSON line: spawn time (CLOCK_MONOTONIC, just before fork), wait status,
 * user/system CPU and ru_maxrss of the driver. After TIMEOUT_S seconds the driver is killed. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile pid_t child;

static void on_alarm(int sig) {
    (void)sig;
    if (child > 0) kill(child, SIGKILL);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: launcher REPORT TIMEOUT_S CMD [ARGS...]\n");
        return 2;
    }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t t_spawn = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    pid_t pid = fork();
    if (pid < 0) {
        perror("launcher: fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[3], argv + 3);
        perror("launcher: exec");
        _exit(127);
    }
    child = pid;
    signal(SIGALRM, on_alarm);
    alarm((unsigned)atoi(argv[2]));
    int status = 0;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) { /* EINTR: the alarm killed the child; wait again to reap it */
            perror("launcher: wait4");
            return 2;
        }
    }
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    fprintf(f,
            "{\"t_spawn_ns\":%llu,\"exit\":%d,\"utime_us\":%lld,\"stime_us\":%lld,"
            "\"maxrss_kb\":%ld}\n",
            (unsigned long long)t_spawn, code,
            (long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec,
            (long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec, ru.ru_maxrss);
    fclose(f);
    return 0;
}
