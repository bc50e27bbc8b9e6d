// RFC 7807 problem details as the Node service writes them (host/http/problem.ts): the same
// epcisException types, titles and key order, so clients cannot tell which host answered.
import { Utf8Writer } from '../json/utf8-writer';

export class Problem {
  constructor(
    public status: i32,
    public exception: string,
    public detail: string,
    /** The `parameter` extension of a QueryParameterException (the Node service names the field). */
    public parameter: string | null = null,
  ) {}
}

/** The `title` of host/http/problem.ts TITLES. */
export function problemTitle(status: i32): string {
  switch (status) {
    case 400:
      return 'Bad Request';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'Not Found';
    case 405:
      return 'Method Not Allowed';
    case 406:
      return 'Not Acceptable';
    case 408:
      return 'Request Timeout';
    case 409:
      return 'Conflict';
    case 413:
      return 'Content Too Large';
    case 414:
      return 'URI Too Long';
    case 415:
      return 'Unsupported Media Type';
    case 431:
      return 'Request Header Fields Too Large';
    case 500:
      return 'Internal Server Error';
    case 503:
      return 'Service Unavailable';
  }
  return 'Error';
}

/** {"type":"epcisException:…","title":…,"status":…,"detail":…} */
export function writeProblemBody(w: Utf8Writer, p: Problem): void {
  w.ascii('{"type":"epcisException:');
  w.ascii(p.exception);
  w.ascii('","title":');
  w.jsonString(problemTitle(p.status));
  w.ascii(',"status":');
  w.int(p.status);
  w.ascii(',"detail":');
  w.jsonString(p.detail);
  const parameter = p.parameter;
  if (parameter !== null) {
    w.ascii(',"parameter":');
    w.jsonString(parameter);
  }
  w.byte(0x7d);
}
