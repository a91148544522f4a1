/*
 * Runs a command and writes the CPU time it used (user + system, its whole process tree that it waited
 * for: shipgate's git children, a Node peer's workers) in microseconds to the file named first.
 * getrusage's sum is exact to the microsecond on Linux, where /proc's children times and time(1) round
 * to 10 ms, too coarse for a 40 ms run. Built by bench/time-pair.ts with the system's C compiler.
 *
 *   cpu-time OUT-FILE COMMAND [ARG...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: cpu-time OUT-FILE COMMAND [ARG...]\n");
    return 64;
  }
  pid_t pid = fork();
  if (pid < 0) return 71;
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    perror(argv[2]);
    _exit(127);
  }
  int status;
  struct rusage usage;
  if (wait4(pid, &status, 0, &usage) < 0) return 71;
  FILE *out = fopen(argv[1], "w");
  if (out == NULL) return 73;
  long long micros = (long long)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000 + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
  fprintf(out, "%lld\n", micros);
  fclose(out);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}
