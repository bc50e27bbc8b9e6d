/*
 * The cold-start prober: starts a server `runs` times and times each start from just before exec
 * (posix_spawn) to the first "HTTP/1.1 200" of GET /health on 127.0.0.1:port, then ends it with
 * SIGTERM and reaps it. In C rather than Node so that the prober adds microseconds, not a JS event
 * loop's milliseconds: it connects, and on a refusal sleeps RETRY_US and connects again, which leaves
 * the CPU to the starting server on a 2-core machine instead of spinning against it. Its own share
 * is shown by probing the native floor (floors/hello-server.c) in the same run.
 * Usage: cold-start-probe <port> <runs> <timeout-ms> <log-file> -- <program> [args…]
 * Prints one JSON line: {"samplesMs":[…],"cpuMs":[…],"failures":n,"firstFailure":"…"|null}; cpuMs is
 * the server's own CPU time (wait4's rusage) from exec until it ended after answering.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RETRY_US 50
#define MAX_RUNS 1000

extern char **environ;

/* The server being probed: a SIGTERM or SIGINT to the prober ends it too, so none is left behind. */
static volatile pid_t server_pid = 0;

static void end_server(int signal) {
  if (server_pid > 0) {
    kill(server_pid, SIGTERM);
    waitpid(server_pid, NULL, 0);
  }
  _exit(128 + signal);
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void pause_us(long us) {
  struct timespec t = {.tv_sec = 0, .tv_nsec = us * 1000};
  nanosleep(&t, NULL);
}

/* One GET /health on a fresh connection: 1 when the answer starts with "HTTP/1.1 200", 0 when the
   port refused or closed without it (not listening yet, or not answering yet). */
static int health_ok(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port)};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
    close(fd);
    return 0;
  }
  static const char request[] = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  char answer[16];
  int got = 0;
  if (send(fd, request, sizeof request - 1, MSG_NOSIGNAL) == (ssize_t)(sizeof request - 1)) {
    while (got < 12) {
      ssize_t n = recv(fd, answer + got, 12 - got, 0);
      if (n <= 0) break;
      got += (int)n;
    }
  }
  close(fd);
  return got == 12 && memcmp(answer, "HTTP/1.1 200", 12) == 0;
}

int main(int argc, char **argv) {
  if (argc < 7 || strcmp(argv[5], "--") != 0) {
    fprintf(stderr, "usage: cold-start-probe <port> <runs> <timeout-ms> <log-file> -- <program> [args...]\n");
    return 2;
  }
  int port = atoi(argv[1]);
  int runs = atoi(argv[2]);
  double timeout_ms = atof(argv[3]);
  if (runs > MAX_RUNS) runs = MAX_RUNS;
  static double samples[MAX_RUNS], cpu[MAX_RUNS];
  int measured = 0, failures = 0;
  char first_failure[256] = "";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, argv[4], O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  signal(SIGTERM, end_server);
  signal(SIGINT, end_server);
  for (int run = 0; run < runs; run++) {
    pid_t pid;
    double started = now_ms();
    if (posix_spawn(&pid, argv[6], &actions, NULL, argv + 6, environ) != 0) {
      perror("cold-start-probe: spawn");
      return 1;
    }
    server_pid = pid;
    int answered = 0, status = 0, exited = 0;
    while (!answered && now_ms() - started < timeout_ms) {
      answered = health_ok(port);
      if (answered) break;
      if (waitpid(pid, &status, WNOHANG) == pid) {
        exited = 1;
        break;
      }
      pause_us(RETRY_US);
    }
    double elapsed = now_ms() - started;
    if (answered) {
      samples[measured++] = elapsed;
    } else {
      failures++;
      if (first_failure[0] == '\0')
        snprintf(first_failure, sizeof first_failure, exited ? "exited with status %d before answering"
                                                              : "no 200 within the timeout (status %d)",
                 exited ? (WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)) : 0);
    }
    /* The server's CPU time (user + system, every thread) from exec to its end right after the
       answer: unlike the wall time, it hardly depends on what else the machine runs. */
    struct rusage usage;
    if (!exited) kill(pid, SIGTERM);
    if (!exited && wait4(pid, &status, 0, &usage) == pid && answered)
      cpu[measured - 1] = usage.ru_utime.tv_sec * 1e3 + usage.ru_utime.tv_usec / 1e3 +
                          usage.ru_stime.tv_sec * 1e3 + usage.ru_stime.tv_usec / 1e3;
    server_pid = 0;
  }
  printf("{\"samplesMs\":[");
  for (int i = 0; i < measured; i++) printf("%s%.4f", i == 0 ? "" : ",", samples[i]);
  printf("],\"cpuMs\":[");
  for (int i = 0; i < measured; i++) printf("%s%.4f", i == 0 ? "" : ",", cpu[i]);
  if (first_failure[0] == '\0')
    printf("],\"failures\":%d,\"firstFailure\":null}\n", failures);
  else
    printf("],\"failures\":%d,\"firstFailure\":\"%s\"}\n", failures, first_failure);
  return 0;
}
