// The subscriptions of one poll_oneoff call and the events it returns, in two unmanaged arrays that
// grow with the number of connections (48 and 32 bytes per entry, the WASI preview 1 layouts).
import {
  ERRNO_SUCCESS,
  EVENT_BYTES,
  EVENTTYPE_CLOCK,
  EVENTTYPE_FD_READ,
  EVENTTYPE_FD_WRITE,
  CLOCKID_MONOTONIC,
  SUBSCRIPTION_BYTES,
  poll_oneoff,
} from '../platform/wasi-sockets';

const COUNT_CELL = memory.data(8);

export class PollSet {
  private subscriptions: usize = 0; // unmanaged!
  private events: usize = 0; // unmanaged!
  private capacity: i32 = 0;
  count: i32 = 0;

  reset(): void {
    this.count = 0;
  }

  private next(userdata: u64, type: u8): usize {
    if (this.count == this.capacity) {
      const grown = max(64, this.capacity << 1);
      this.subscriptions =
        this.subscriptions == 0
          ? heap.alloc(<usize>grown * SUBSCRIPTION_BYTES)
          : heap.realloc(this.subscriptions, <usize>grown * SUBSCRIPTION_BYTES);
      this.events =
        this.events == 0
          ? heap.alloc(<usize>grown * EVENT_BYTES)
          : heap.realloc(this.events, <usize>grown * EVENT_BYTES);
      this.capacity = grown;
    }
    const sub = this.subscriptions + <usize>this.count * SUBSCRIPTION_BYTES;
    memory.fill(sub, 0, SUBSCRIPTION_BYTES);
    store<u64>(sub, userdata, 0);
    store<u8>(sub, type, 8);
    this.count++;
    return sub;
  }

  read(fd: i32, userdata: u64): void {
    store<u32>(this.next(userdata, EVENTTYPE_FD_READ), <u32>fd, 16);
  }

  write(fd: i32, userdata: u64): void {
    store<u32>(this.next(userdata, EVENTTYPE_FD_WRITE), <u32>fd, 16);
  }

  /** Wakes the poll after `timeoutMs` (relative, monotonic clock). */
  timer(timeoutMs: i64, userdata: u64): void {
    const sub = this.next(userdata, EVENTTYPE_CLOCK);
    store<u32>(sub, CLOCKID_MONOTONIC, 16);
    store<u64>(sub, <u64>max<i64>(timeoutMs, 0) * 1_000_000, 24);
    // precision 0 and flags 0 (relative timeout): already zeroed.
  }

  /** Blocks until something is ready; the number of events, or -1 when the call itself failed. */
  wait(): i32 {
    if (poll_oneoff(this.subscriptions, this.events, <u32>this.count, COUNT_CELL) != ERRNO_SUCCESS) return -1;
    return <i32>load<u32>(COUNT_CELL);
  }

  userdata(i: i32): u64 {
    return load<u64>(this.events + <usize>i * EVENT_BYTES, 0);
  }

  /** The event's WASI errno (a socket error or hang-up shows here; the next recv tells which). */
  error(i: i32): u16 {
    return load<u16>(this.events + <usize>i * EVENT_BYTES, 8);
  }
}
