// Keep-alive connections to the sidecar (the Node service on 127.0.0.1:SIDECAR_PORT) that finished
// an answer and may carry the next one, so a forwarded request rarely pays for a connect. Globals:
// the event loop's collector sees only what globals hold (docs/wasmedge-server.md, "Memory").
import { FAILED, closeSocket, connectLoopback, idleAndOpen } from '../socket-calls';

// Enough for the requests one turn forwards at once; more idle sockets would only hold fds.
const MAX_IDLE: i32 = 8;
const idle = new Array<i32>();
let port: i32 = 8081;

export function setSidecarPort(sidecarPort: i32): void {
  port = sidecarPort;
}

export function sidecarPort(): i32 {
  return port;
}

/** A pooled connection still open (a closed or dirty one is dropped), or -1 for none. */
export function takeIdleConnection(): i32 {
  while (idle.length > 0) {
    const fd = idle.pop();
    if (idleAndOpen(fd)) return fd;
    closeSocket(fd);
  }
  return -1;
}

/** A new connection being made, or FAILED when the sidecar refused at once. */
export function openSidecarConnection(): i32 {
  return connectLoopback(port);
}

/** After a complete answer on a connection the sidecar keeps open. */
export function giveBack(fd: i32): void {
  if (idle.length < MAX_IDLE) idle.push(fd);
  else closeSocket(fd);
}

export { FAILED };
