// The onRequest hook of the sidecar: a request carrying `Edgetrace-Journal-Seq: <n>` (set by
// tracker-server.wasm on what it forwards: the seq of the last event it acknowledged) is answered
// only once the journal tail has stored up to n, so a query right after a capture on the server
// sees it. The wait is bounded; past it the client gets a 503 to retry rather than a stale answer.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem, sendProblem } from '../http/problem.js';
import type { SeqWaiter } from './seq-waiter.js';

export const JOURNAL_SEQ_HEADER = 'Edgetrace-Journal-Seq';
const HEADER_KEY = JOURNAL_SEQ_HEADER.toLowerCase();
const RETRY_AFTER_S = 1;
const SEQ_TEXT = /^[0-9]{1,15}$/;

export interface JournalSeqHookOptions {
  waiter: SeqWaiter;
  maxWaitMs: number;
}

export function installJournalSeqHook(app: FastifyInstance, options: JournalSeqHookOptions): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const value = request.headers[HEADER_KEY];
    if (value === undefined) return;
    const text = Array.isArray(value) ? value.join(',') : value;
    if (!SEQ_TEXT.test(text.trim())) {
      const detail = `${JOURNAL_SEQ_HEADER} must be one journal seq (a non-negative integer)`;
      return sendProblem(reply, problem('ValidationException', detail, { header: JOURNAL_SEQ_HEADER }));
    }
    const seq = Number(text.trim());
    if (await options.waiter.waitFor(seq, options.maxWaitMs)) return;
    const detail =
      `the journal is stored up to seq ${options.waiter.storedSeq}, not yet ${seq}; ` +
      `retry in ${RETRY_AFTER_S} s`;
    reply.header('Retry-After', String(RETRY_AFTER_S));
    return sendProblem(reply, problem('ServiceUnavailableException', detail, { header: JOURNAL_SEQ_HEADER }));
  });
}
