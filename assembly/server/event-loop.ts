// The server's one thread: poll the listener and every connection (level-triggered), accept, read,
// answer, send, and expire timeouts, forever. Each turn waits in poll_oneoff with a timer set to
// the nearest connection deadline, so an idle server sleeps and a slow client costs nothing
// between its bytes.
import { Connection, NO_DEADLINE, Phase } from './connection';
import { PollSet } from './poll-set';
import { RequestLimits } from './request-limits';
import { FAILED, WOULD_BLOCK, acceptConnection, closeSocket } from './socket-calls';
import { monotonicMs, monotonicNs, realtimeMs } from '../platform/wasi-sockets';
import {
  connectionAccepted,
  connectionClosed,
  connectionRefused,
  idleConnectionClosed,
  recordJournalSync,
} from './metrics/server-metrics';
import { setResponseTime } from './http-date';
import { journal } from './capture/server-store';
import { deleteCoveredSegments, segmentCheckDueMs } from './journal/segment-deletion';
import { checkInbound, inboundAppliedSeq, inboundCheckDueMs } from './inbound/inbound-tail';

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
// A burst (thousands of clients readable in one turn) would otherwise keep every request's garbage,
// its 16 KiB receive buffer among it, until the turn ends: the heap grows to the whole burst and the
// minimal runtime never gives memory back. Between events everything live hangs off a global.
const COLLECT_EVERY_EVENTS: i32 = 256;
// Connections acceptAll closed this turn, still in `connections` until the end-of-turn sweep.
let closedSinceSweep: i32 = 0;

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
    else poll.read(listener, FOR_ACCEPT);
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
    nearest = min(nearest, segmentCheckDueMs());
    nearest = min(nearest, inboundCheckDueMs(nowMs));
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
    // Before any request of this turn: one that follows a 2xx of the sidecar sees what it stored.
    const inboundApplied = checkInbound(nowMs);
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
      if ((e + 1) % COLLECT_EVERY_EVENTS == 0) __collect();
    }
    // Group commit: one fd_datasync covers every event appended this turn, then their answers go.
    // A failed sync leaves the journal's durability unknown: stop, unanswered, and let the restart
    // replay what the disk holds (clients retry what was never acknowledged).
    if (journal.dirty) {
      const syncStartNs = monotonicNs();
      const synced = journal.sync();
      recordJournalSync(monotonicNs() - syncStartNs);
      if (!synced) return 'fd_datasync of the journal failed';
      for (let i = 0, n = connections.length; i < n; i++) unchecked(connections[i]).releaseHeld(nowMs);
    }
    let answered = 0;
    for (let i = 0; i < connections.length;) {
      const c = unchecked(connections[i]);
      c.expire(nowMs, limits);
      answered += c.cycle.answered;
      c.cycle.answered = 0;
      if (c.phase == Phase.Closed) {
        connectionClosed();
        // Order does not matter: move the last connection into the freed slot.
        const last = connections.pop();
        if (i < connections.length) unchecked((connections[i] = last));
      } else {
        i++;
      }
    }
    closedSinceSweep = 0;
    const checkedSegments = deleteCoveredSegments(journal.dataDirFd, nowMs, inboundAppliedSeq());
    // Requests leave short-lived strings behind; a turn that answered none allocated next to nothing.
    if (answered > 0 || checkedSegments || inboundApplied > 0) __collect();
  }
}

/**
 * Takes every waiting connection. At `maxConnections` (or out of file descriptors) the connection
 * idle the longest gives way, as its keep-alive timeout would close it later; with none idle the
 * newcomer is closed at once. Either way the listener keeps being served: left in the kernel's
 * backlog, a health probe would wait behind thousands of idle clients and the pod be restarted.
 */
function acceptAll(listener: i32, nowMs: i64, limits: RequestLimits): void {
  // Connections closed here stay in the list until the sweep at the end of the turn.
  let open = connections.length - closedSinceSweep;
  while (true) {
    let fd = acceptConnection(listener);
    if (fd == WOULD_BLOCK) return;
    if (fd == FAILED) {
      // Out of descriptors (EMFILE) is the usual cause: free one and try once more.
      if (closeLongestIdle()) {
        open--;
        fd = acceptConnection(listener);
      }
      if (fd == WOULD_BLOCK) return;
      if (fd == FAILED) {
        connectionRefused();
        acceptPausedUntilMs = nowMs + ACCEPT_PAUSE_MS;
        return;
      }
    } else if (open >= limits.maxConnections) {
      if (closeLongestIdle()) open--;
      else {
        closeSocket(fd);
        connectionRefused();
        continue;
      }
    }
    connections.push(new Connection(fd, nowMs));
    connectionAccepted();
    open++;
  }
}

/** Closes the open connection idle the longest; false when every one is busy. */
function closeLongestIdle(): bool {
  let oldest = -1;
  let oldestSinceMs = i64.MAX_VALUE;
  for (let i = 0, n = connections.length; i < n; i++) {
    const since = unchecked(connections[i]).idleSinceMs;
    if (since >= 0 && since < oldestSinceMs) {
      oldest = i;
      oldestSinceMs = since;
    }
  }
  if (oldest < 0) return false;
  unchecked(connections[oldest]).close();
  closedSinceSweep++;
  idleConnectionClosed();
  return true;
}
