// The body of a GET /trace page, serialised a slice of nodes at a time. A page holds up to 10,000
// nodes (about 3 MB of JSON); serialised in one piece it held the event loop for 30-50 ms on an
// idle machine and 400-500 ms on a loaded one, long enough to stall /health. As a stream, the
// nodes are written NODES_PER_CHUNK at a time, each chunk in a share of the loop turn that walks
// and pages share (`turns`), and the socket's backpressure paces the rest. The JSON is the one JSON.stringify gives for the page
// (same keys, same order), which traceResponseSchema in tracking-schemas.ts describes.
import { Readable } from 'node:stream';
import type { TracePage } from '../../tracking/trace-view.js';

/** About 150 KB of JSON, about 1 ms to serialise on an idle machine. */
const NODES_PER_CHUNK = 500;

type Turns = { take(): Promise<void> };

async function* pageChunks(page: TracePage, turns: Turns): AsyncGenerator<string> {
  const { nodes, ...head } = page;
  // `nodes` is the last key of a page; the head's JSON object is reopened to append it.
  yield `${JSON.stringify(head).slice(0, -1)},"nodes":[`;
  for (let at = 0; at < nodes.length; at += NODES_PER_CHUNK) {
    await turns.take();
    const slice = nodes.slice(at, at + NODES_PER_CHUNK).map((node) => JSON.stringify(node));
    yield (at === 0 ? '' : ',') + slice.join(',');
  }
  yield ']}';
}

/** The page as a stream of UTF-8 JSON text. */
export function tracePageBody(page: TracePage, turns: Turns): Readable {
  return Readable.from(pageChunks(page, turns), { objectMode: false });
}
