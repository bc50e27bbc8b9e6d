// Writes a refusal of the access gate as host/auth/fastify-auth.ts sendRefusal sends it: status,
// the RFC 6750 challenge and Retry-After headers, and the problem+json body
// {"type":"epcisException:SecurityException","title":…,"status":…,"detail":…}.
import { Utf8Writer } from '../../json/utf8-writer';
import { PROBLEM_TYPE, Reply } from '../response-writer';
import { SECURITY_EXCEPTION, securityTitle } from './auth-texts';

export function writeSecurityProblem(
  reply: Reply,
  body: Utf8Writer,
  status: i32,
  detail: string,
  wwwAuthenticate: string | null,
  retryAfterS: i32,
): void {
  reply.reset();
  body.reset();
  reply.status = status;
  reply.contentType = PROBLEM_TYPE;
  let extra = '';
  if (wwwAuthenticate !== null) extra += 'www-authenticate: ' + wwwAuthenticate + '\r\n';
  if (retryAfterS > 0) extra += 'retry-after: ' + retryAfterS.toString() + '\r\n';
  reply.extraHeaders = extra;
  body.ascii('{"type":"epcisException:');
  body.ascii(SECURITY_EXCEPTION);
  body.ascii('","title":');
  body.jsonString(securityTitle(status));
  body.ascii(',"status":');
  body.int(status);
  body.ascii(',"detail":');
  body.jsonString(detail);
  body.byte(0x7d);
}
