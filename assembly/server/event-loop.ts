// The server's one thread: poll the listener and every connection (level-triggered), accept, read,
// answer, send, and expire timeouts, forever. Each turn waits in poll_oneoff with a timer set to
// the nearest connection deadline, so an idle server sleeps and a slow client costs nothing
// between its bytes.
import { Connection, NO_DEADLINE, Phase } from './connection';
import { PollSet } from './poll-set';
import { RequestLimits } from './request-limits';
import { FAILED, WOULD_BLOCK, acceptConnection } from './socket-calls';
import { monotonicMs, realtimeMs } from '../platform/wasi-sockets';
import { setResponseTime } from './http-date';
import { journal } from './capture/server-store';

// userdata of a subscription: the connection's slot shifted left by 3, and what it waits for (its
// own socket, or the sidecar socket of the request it forwards).
const FOR_ACCEPT: u64 = 0;
const FOR_READ: u64 = 1;
const FOR_WRITE: u64 = 2;
const FOR_TIMER: u64 = 3;
const FOR_SIDECAR_READ: u64 = 5;
const FOR_SIDECAR_WRITE: u64 = 6;

// Module-level so that everything live is reachable from a global when the loop collects garbage:
// the minimal runtime does not scan the Wasm stack.
const connections = new Array<Connection>();
const poll = new PollSet();
// After a failed accept (out of file descriptors, EMFILE) the listener stays readable: polling it
// at once again would spin. It rests this long, while the open connections are served.
const ACCEPT_PAUSE_MS: i64 = 100;
let acceptPausedUntilMs: i64 = 0;

/**
 * Why the loop stopped: it only returns when poll_oneoff itself fails. `limits` must be held by a
 * global of the caller: the garbage collector below does not see this function's parameters.
 */
export function serve(listener: i32, limits: RequestLimits): string {
  let failedPolls = 0;
  while (true) {
    let nowMs = monotonicMs();
    poll.reset();
    let nearest = NO_DEADLINE;
    if (acceptPausedUntilMs > nowMs) nearest = acceptPausedUntilMs;
    else if (connections.length < limits.maxConnections) poll.read(listener, FOR_ACCEPT);
    for (let i = 0, n = connections.length; i < n; i++) {
      const c = unchecked(connections[i]);
      const slot = (<u64>i) << 3;
      if (c.wantsRead) poll.read(c.fd, slot | FOR_READ);
      if (c.wantsWrite) poll.write(c.fd, slot | FOR_WRITE);
      const sidecarRead = c.sidecarReadFd;
      if (sidecarRead >= 0) poll.read(sidecarRead, slot | FOR_SIDECAR_READ);
      const sidecarWrite = c.sidecarWriteFd;
      if (sidecarWrite >= 0) poll.write(sidecarWrite, slot | FOR_SIDECAR_WRITE);
      nearest = min(nearest, c.deadline(limits));
    }
    if (nearest != NO_DEADLINE) poll.timer(nearest - nowMs, FOR_TIMER);
    const ready = poll.wait();
    if (ready < 0) {
      // A failing poll is a runtime fault, not a client's doing; retrying forever would spin.
      if (++failedPolls == 100) return 'poll_oneoff keeps failing';
      continue;
    }
    failedPolls = 0;
    nowMs = monotonicMs();
    setResponseTime(realtimeMs());
    for (let e = 0; e < ready; e++) {
      const userdata = poll.userdata(e);
      const kind = userdata & 7;
      if (kind == FOR_TIMER) continue;
      if (kind == FOR_ACCEPT) {
        acceptAll(listener, nowMs, limits);
        continue;
      }
      const c = unchecked(connections[<i32>(userdata >> 3)]);
      if (c.phase == Phase.Closed) continue;
      if (kind == FOR_READ) c.onReadable(nowMs, limits);
      else if (kind == FOR_WRITE) c.onWritable(nowMs, limits);
      else if (kind == FOR_SIDECAR_READ) c.onSidecarReadable(nowMs, limits);
      else c.onSidecarWritable(nowMs, limits);
    }
    // Group commit: one fd_datasync covers every event appended this turn, then their answers go.
    // A failed sync leaves the journal's durability unknown: stop, unanswered, and let the restart
    // replay what the disk holds (clients retry what was never acknowledged).
    if (journal.dirty) {
      if (!journal.sync()) return 'fd_datasync of the journal failed';
      for (let i = 0, n = connections.length; i < n; i++) unchecked(connections[i]).releaseHeld(nowMs);
    }
    let answered = 0;
    for (let i = 0; i < connections.length;) {
      const c = unchecked(connections[i]);
      c.expire(nowMs, limits);
      answered += c.cycle.answered;
      c.cycle.answered = 0;
      if (c.phase == Phase.Closed) {
        // Order does not matter: move the last connection into the freed slot.
        const last = connections.pop();
        if (i < connections.length) unchecked((connections[i] = last));
      } else {
        i++;
      }
    }
    // Requests leave short-lived strings behind; a turn that answered none allocated next to nothing.
    if (answered > 0) __collect();
  }
}

function acceptAll(listener: i32, nowMs: i64, limits: RequestLimits): void {
  while (connections.length < limits.maxConnections) {
    const fd = acceptConnection(listener);
    if (fd == WOULD_BLOCK) return;
    if (fd == FAILED) {
      acceptPausedUntilMs = nowMs + ACCEPT_PAUSE_MS;
      return;
    }
    connections.push(new Connection(fd, nowMs));
  }
}
