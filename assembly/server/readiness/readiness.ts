// What GET /ready reports. The server is ready once its state index holds the journal (replayed
// before anything is answered from it). Whether the journal takes appends, the sidecar's
// reachability and how far it has stored the journal are reported, not required: on a full disk
// captures are refused (503) but state lookups are still answered, and on a one-pod site taking the
// pod out of the Service would cut those off too (the Node service stays ready on SQLITE_FULL for
// the same reason); a sidecar restart must not take the native routes away either.
import { journal } from '../capture/server-store';
import { dataDirectoryWritable } from './journal-write-probe';

export class ServerReadiness {
  /** The journal (and a snapshot, once there is one) is replayed into the state index. */
  indexLoaded: bool = false;
  /** The preopened data directory (for the stored seq and the write probe); -1 before the start. */
  dataDirFd: i32 = -1;
}

export const readiness = new ServerReadiness();

/**
 * The journal is open, and its last append did not fail; after a failed one (full disk) a write
 * probe decides, so readiness returns with the space and not only with the next capture.
 */
export function journalWritable(): bool {
  if (journal.fd < 0) return false;
  if (!journal.lastAppendFailed) return true;
  if (!dataDirectoryWritable(readiness.dataDirFd)) return false;
  journal.lastAppendFailed = false;
  return true;
}
