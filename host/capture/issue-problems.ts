// Turns the core's validation issues into EPCIS problem objects a client can act on: which event,
// which field (JSON pointer), what is wrong.
import type { CaptureIssue } from '../core/types.js';
import { type Problem, problem } from '../http/problem.js';

export function issueProblem(issue: CaptureIssue): Problem {
  const where = issue.eventIndex < 0 ? 'document' : `event ${issue.eventIndex}`;
  const field = issue.pointer === '' ? '' : ` at ${issue.pointer}`;
  return problem('ValidationException', `${where}${field}: ${issue.message}`, {
    eventIndex: issue.eventIndex,
    pointer: issue.pointer,
  });
}

/** One problem for a payload rejected as a whole, listing its issues (the first few in `detail`). */
export function rejectionProblem(issues: readonly CaptureIssue[], truncated: boolean): Problem {
  const shown = issues.slice(0, 5).map((issue) => issueProblem(issue).detail);
  const more =
    issues.length > shown.length || truncated
      ? ` (and ${truncated ? 'more' : issues.length - shown.length} more)`
      : '';
  return problem('ValidationException', `${shown.join('; ')}${more}`, {
    errors: issues.map(issueProblem),
  });
}
