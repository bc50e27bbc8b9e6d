// Answers shared by the named-query and subscription routes.
import type { FastifyReply } from 'fastify';
import { problem, sendProblem } from '../problem.js';

/** The raw request body (bodies stay bytes in this app) as JSON, or not JSON at all. */
export function parseJsonBody(body: unknown): { ok: true; value: unknown } | { ok: false } {
  if (!Buffer.isBuffer(body)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

export const noSuchQuery = (reply: FastifyReply, name: string): FastifyReply =>
  sendProblem(
    reply,
    problem('NoSuchNameException', `there is no named query ${name}; create it with POST /queries`),
  );
