/*
 * The native floor of the WasmEdge benchmark: the same answers as floors/hello-server.ts (200 with
 * --body-bytes of JSON for anything but POST, 201 and no body for POST after reading its
 * Content-Length), the same single-threaded level-triggered loop, but epoll straight from C. It
 * shows what the kernel and loopback cost with no runtime at all: start-up (exec to first answer)
 * and the most requests per second one core can answer. Compiled by the benchmark with cc -O2.
 * Usage: hello-server --port 8080 [--body-bytes 20]. SIGTERM ends it (default action).
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <fcntl.h>

#define BUFFER_BYTES 65536

struct connection {
  int fd;
  int in_fill, out_fill;
  int waiting_out; /* registered for EPOLLOUT (output pending) rather than EPOLLIN */
  char in[BUFFER_BYTES], out[BUFFER_BYTES];
};

static char get_answer[BUFFER_BYTES], post_answer[128];
static int get_bytes, post_bytes;

static int content_length(const char *head, int length) {
  static const char name[] = "content-length:";
  for (int i = 0; i + (int)sizeof name - 1 < length; i++) {
    if ((i == 0 || head[i - 1] == '\n') && strncasecmp(head + i, name, sizeof name - 1) == 0)
      return atoi(head + i + sizeof name - 1);
  }
  return 0;
}

/* Answers every complete request buffered; 0 when the connection must close. */
static int answer(struct connection *c) {
  int at = 0;
  for (;;) {
    char *end = memmem(c->in + at, c->in_fill - at, "\r\n\r\n", 4);
    if (end == NULL) break;
    int head = (int)(end - (c->in + at)) + 4;
    int body = content_length(c->in + at, head);
    if (body > BUFFER_BYTES) return 0;
    if (at + head + body > c->in_fill) break;
    int post = memcmp(c->in + at, "POST", 4) == 0;
    int bytes = post ? post_bytes : get_bytes;
    if (c->out_fill + bytes > BUFFER_BYTES) break;
    memcpy(c->out + c->out_fill, post ? post_answer : get_answer, bytes);
    c->out_fill += bytes;
    at += head + body;
  }
  memmove(c->in, c->in + at, c->in_fill - at);
  c->in_fill -= at;
  return c->in_fill < BUFFER_BYTES;
}

static int flush(struct connection *c) {
  if (c->out_fill == 0) return 1;
  ssize_t sent = send(c->fd, c->out, c->out_fill, MSG_NOSIGNAL);
  if (sent < 0) return 0;
  memmove(c->out, c->out + sent, c->out_fill - sent);
  c->out_fill -= (int)sent;
  return 1;
}

static int argument(int argc, char **argv, const char *name, int fallback) {
  for (int i = 1; i + 1 < argc; i++)
    if (strcmp(argv[i], name) == 0) return atoi(argv[i + 1]);
  return fallback;
}

int main(int argc, char **argv) {
  int port = argument(argc, argv, "--port", 8080);
  int body_bytes = argument(argc, argv, "--body-bytes", 20);
  if (body_bytes < 10) body_bytes = 10;
  if (body_bytes > BUFFER_BYTES / 2) body_bytes = BUFFER_BYTES / 2;
  int n = snprintf(get_answer, sizeof get_answer,
                   "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n{\"pad\":\"",
                   body_bytes);
  memset(get_answer + n, 'x', body_bytes - 10);
  memcpy(get_answer + n + body_bytes - 10, "\"}", 2);
  get_bytes = n + body_bytes - 8;
  post_bytes = snprintf(post_answer, sizeof post_answer, "HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n");

  int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port)};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 1024) != 0) {
    perror("hello-server");
    return 1;
  }
  int poll = epoll_create1(0);
  struct epoll_event event = {.events = EPOLLIN, .data.ptr = NULL};
  epoll_ctl(poll, EPOLL_CTL_ADD, listener, &event);
  struct epoll_event ready[256];
  for (;;) {
    int count = epoll_wait(poll, ready, 256, -1);
    for (int i = 0; i < count; i++) {
      struct connection *c = ready[i].data.ptr;
      if (c == NULL) {
        int fd;
        while ((fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          c = calloc(1, sizeof *c);
          c->fd = fd;
          struct epoll_event in = {.events = EPOLLIN, .data.ptr = c};
          epoll_ctl(poll, EPOLL_CTL_ADD, fd, &in);
        }
        continue;
      }
      int alive = 1;
      if (ready[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        ssize_t got = recv(c->fd, c->in + c->in_fill, BUFFER_BYTES - c->in_fill, 0);
        alive = got > 0;
        if (alive) c->in_fill += (int)got;
      }
      alive = alive && flush(c) && answer(c) && flush(c);
      if (!alive) {
        close(c->fd);
        free(c);
        continue;
      }
      /* Wait for writability only while output is pending (backpressure, as the WASI floor does);
         epoll_ctl only when that changes, so the usual turn is recv + send. */
      int want_out = c->out_fill > 0;
      if (want_out != c->waiting_out) {
        struct epoll_event next = {.events = want_out ? EPOLLOUT : EPOLLIN, .data.ptr = c};
        epoll_ctl(poll, EPOLL_CTL_MOD, c->fd, &next);
        c->waiting_out = want_out;
      }
    }
  }
}
