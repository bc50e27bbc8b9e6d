// GET /epcs/{epc}/contents natively, as host/http/routes/tracking-routes.ts answers it: the
// GS1-EPC-Format refusals, then `depth` (a whole number from 1 to 32, default 1, given at most once),
// then {"container","depth","total","truncated","children"} built by the core's own tree walk, or the
// 400/404 of an identifier the index does not know (as for the state).
import { writeContentsAnswer } from '../../abi/state-answer';
import { Status } from '../../abi/status';
import { Utf8Writer } from '../../json/utf8-writer';
import { stateIndex } from '../capture/server-store';
import { percentDecode } from '../percent-decode';
import { Problem } from '../problem';
import { JSON_TYPE, Reply } from '../response-writer';
import { unknownEpcProblem } from './state-route';

// tracking-routes.ts CONTENTS_MAX_DEPTH and CONTENTS_NODE_LIMIT.
const CONTENTS_MAX_DEPTH: i32 = 32;
const CONTENTS_NODE_LIMIT: i32 = 100_000;

const badDepth = (): Problem =>
  new Problem(
    400,
    'QueryParameterException',
    'depth must be a whole number from 1 to ' + CONTENTS_MAX_DEPTH.toString(),
    'depth',
  );

/** `depth` from the query string, or -1 when it is malformed, repeated or out of range. */
export function readDepth(query: string): i32 {
  let found: string | null = null;
  const pairs = query.length == 0 ? new Array<string>() : query.split('&');
  for (let i = 0; i < pairs.length; i++) {
    const pair = unchecked(pairs[i]);
    const eq = pair.indexOf('=');
    if ((eq < 0 ? pair : pair.substring(0, eq)) != 'depth') continue;
    if (found !== null) return -1;
    const value = percentDecode(eq < 0 ? '' : pair.substring(eq + 1));
    if (value === null) return -1;
    found = value;
  }
  if (found === null) return 1;
  const text = found;
  if (text.length == 0 || text.length > 9) return -1;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    n = n * 10 + (c - 0x30);
  }
  return n >= 1 && n <= CONTENTS_MAX_DEPTH ? n : -1;
}

/** Answers the contents of `epc` (decoded), or returns the problem to answer with. */
export function answerContents(epc: string, query: string, reply: Reply, body: Utf8Writer): Problem | null {
  const depth = readDepth(query);
  if (depth < 0) return badDepth();
  // The core's own answer writer (abi/state-answer.ts): the Node service sends the same bytes.
  if (writeContentsAnswer(stateIndex, epc, depth, CONTENTS_NODE_LIMIT, body) != Status.Ok)
    return unknownEpcProblem(epc);
  reply.status = 200;
  reply.contentType = JSON_TYPE;
  return null;
}
