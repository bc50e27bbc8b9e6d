// The query routes' side of answer negotiation: which format to answer in, or the 406 to send.
import { type Problem, problem } from '../http/problem.js';
import { type AnswerFormat, negotiateAnswerFormat } from './answer-format.js';

export function negotiateAnswer(
  accept: string | undefined,
): { ok: true; format: AnswerFormat } | { ok: false; problem: Problem } {
  const format = negotiateAnswerFormat(accept);
  if (format !== null) return { ok: true, format };
  return {
    ok: false,
    problem: problem(
      'NotAcceptableException',
      'event queries answer application/json, application/ld+json or application/xml',
    ),
  };
}
