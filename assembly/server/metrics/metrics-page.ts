// The body of GET /metrics/server: the edgetrace_server_* families in the text format prom-client
// writes for the sidecar's /metrics, traffic first, then the store and the process.
import { Utf8Writer } from '../../json/utf8-writer';
import { writeJournal, writeInbound, writeProcess } from './store-families';
import { writeConnections, writeForwarding, writeRequests } from './traffic-families';

export function writeServerMetrics(out: Utf8Writer): void {
  writeRequests(out);
  writeConnections(out);
  writeJournal(out);
  writeForwarding(out);
  writeInbound(out);
  writeProcess(out);
}
