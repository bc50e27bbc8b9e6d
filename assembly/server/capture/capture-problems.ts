// The problem bodies of host/capture/issue-problems.ts and host/ingest/capture-job-draft.ts,
// written with their key order: type, title, status, detail, then the extensions.
import { Issue } from '../../diagnostics/issue';
import { Utf8Writer } from '../../json/utf8-writer';
import { Problem, problemTitle } from '../problem';

function head(w: Utf8Writer, exception: string, status: i32, detail: string): void {
  w.ascii('{"type":"epcisException:');
  w.ascii(exception);
  w.ascii('","title":');
  w.jsonString(problemTitle(status));
  w.ascii(',"status":');
  w.int(status);
  w.ascii(',"detail":');
  w.jsonString(detail);
}

function issueDetail(issue: Issue): string {
  const where = issue.eventIndex < 0 ? 'document' : 'event ' + issue.eventIndex.toString();
  const field = issue.pointer.length == 0 ? '' : ' at ' + issue.pointer;
  return where + field + ': ' + issue.message;
}

/** issueProblem: one issue as a ValidationException naming its event and field. */
export function writeIssueProblem(w: Utf8Writer, issue: Issue): void {
  head(w, 'ValidationException', 400, issueDetail(issue));
  w.ascii(',"eventIndex":');
  w.int(issue.eventIndex);
  w.ascii(',"pointer":');
  w.jsonString(issue.pointer);
  w.byte(0x7d);
}

/** rejectionProblem: the whole payload refused, the first five issues in `detail`, all in `errors`. */
export function writeRejection(w: Utf8Writer, issues: Array<Issue>, truncated: bool): void {
  const shown = min(issues.length, 5);
  let detail = '';
  for (let i = 0; i < shown; i++) {
    if (i > 0) detail += '; ';
    detail += issueDetail(unchecked(issues[i]));
  }
  if (issues.length > shown || truncated) {
    detail += ' (and ' + (truncated ? 'more' : (issues.length - shown).toString()) + ' more)';
  }
  head(w, 'ValidationException', 400, detail);
  w.ascii(',"errors":[');
  for (let i = 0, n = issues.length; i < n; i++) {
    if (i > 0) w.byte(0x2c);
    writeIssueProblem(w, unchecked(issues[i]));
  }
  w.ascii(']}');
}

/** duplicateProblem: an event ID that is already stored. */
export function writeDuplicateProblem(w: Utf8Writer, eventId: string): void {
  head(w, 'ResourceAlreadyExistsException', 409, 'an event with eventID ' + eventId + ' is already stored');
  w.ascii(',"eventID":');
  w.jsonString(eventId);
  w.byte(0x7d);
}

/** A journal append failed (disk full or failing): the request is cut back and nothing is stored. */
export function journalUnavailable(): Problem {
  return new Problem(
    503,
    'ServiceUnavailableException',
    'the journal cannot write right now (disk full or failing); nothing was stored, retry later',
  );
}
