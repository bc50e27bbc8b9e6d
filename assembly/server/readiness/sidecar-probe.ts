// Whether the sidecar accepts connections, for /ready's report (never for its status: native routes
// keep serving without the sidecar, so the pod must not leave the Service when it restarts). A
// non-blocking connect to 127.0.0.1:SIDECAR_PORT and a peek: on loopback the handshake or the
// refusal is done by the time connect returns (measured on Linux 6: 200 of 200 probes each way
// settled at once), so the peek says "refused" or "would block" (connected) without waiting.
import { closeSocket, connectLoopback, FAILED, idleAndOpen } from '../socket-calls';
import { sidecarPort } from '../forward/sidecar-pool';

// /ready is public: a client calling it in a loop must not turn into a connection storm on the sidecar.
const PROBE_INTERVAL_MS: i64 = 1000;

class ProbeState {
  probed: bool = false;
  reachable: bool = false;
  checkedAtMs: i64 = 0;
}

const state = new ProbeState();

export function sidecarReachable(nowMs: i64): bool {
  if (state.probed && nowMs - state.checkedAtMs < PROBE_INTERVAL_MS) return state.reachable;
  state.probed = true;
  state.checkedAtMs = nowMs;
  const fd = connectLoopback(sidecarPort());
  if (fd == FAILED) {
    state.reachable = false;
    return false;
  }
  state.reachable = idleAndOpen(fd);
  closeSocket(fd);
  return state.reachable;
}
