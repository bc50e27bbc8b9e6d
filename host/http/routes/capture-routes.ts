// EPCIS capture interface (OpenAPI /capture, /capture/{captureID}, POST /events).
import type { FastifyInstance } from 'fastify';
import type { CaptureService } from '../../capture/capture-service.js';
import { captureBody } from '../../xml/xml-capture-body.js';
import type { CaptureErrorBehaviour, CaptureJobPage, CaptureJobs } from '../../store/capture-jobs.js';
import { negotiateEpcFormat } from '../epc-format.js';
import { captureLimitHeaders, type CaptureLimitHeaders } from '../gs1-headers.js';
import { DEFAULT_PAGE_SIZE, readPageSize } from '../page-size.js';
import { problem, sendProblem } from '../problem.js';
import { eventForOutput, mergedContext } from '../query-document.js';

export interface CaptureRoutesDeps {
  capture: CaptureService;
  jobs: CaptureJobs;
  limits: CaptureLimitHeaders;
  /** Turns stored identifiers into Digital Links for the event POST /events answers with. */
  toDigitalLink: (id: string) => string;
}

function errorBehaviour(header: string | string[] | undefined): CaptureErrorBehaviour | null {
  if (header === undefined) return 'rollback';
  const value = (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase();
  return value === 'rollback' || value === 'proceed' ? value : null;
}

const MAX_JOBS_PER_PAGE = 100;

export function registerCaptureRoutes(app: FastifyInstance, deps: CaptureRoutesDeps): void {
  const limitHeaders = captureLimitHeaders(deps.limits);
  // OPTIONS /capture announces the limits (OpenAPI 204CaptureEndpointDiscovery); see method-routing.ts.
  const announceLimits = { config: { discoveryHeaders: limitHeaders } };

  app.post('/capture', announceLimits, async (request, reply) => {
    const behaviour = errorBehaviour(request.headers['gs1-capture-error-behaviour']);
    if (behaviour === null) {
      return sendProblem(
        reply,
        problem('ValidationException', 'GS1-Capture-Error-Behaviour must be rollback or proceed'),
      );
    }
    const body = captureBody(request.body);
    if (!body.ok) {
      if (body.problem.status === 413) reply.headers(limitHeaders);
      return sendProblem(reply, body.problem);
    }
    const outcome = await deps.capture.captureDocument(body.bytes, behaviour);
    if (outcome.kind === 'refused') {
      if (outcome.problem.status === 413) reply.headers(limitHeaders);
      return sendProblem(reply, body.explain(outcome.problem), outcome.status);
    }
    const id = outcome.job.job.captureID;
    return reply
      .code(202)
      .header('Location', `/capture/${encodeURIComponent(id)}`)
      .send(outcome.job.job);
  });

  app.get('/capture', announceLimits, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const read = readPageSize(query['perPage'], {
      defaultSize: DEFAULT_PAGE_SIZE,
      ceiling: MAX_JOBS_PER_PAGE,
    });
    if (!read.ok) return sendProblem(reply, read.problem);
    const perPage = read.size;
    let page: CaptureJobPage;
    try {
      page = deps.jobs.list({ limit: perPage, cursor: query['nextPageToken'] ?? null });
    } catch (error) {
      // CaptureJobs.list throws RangeError for a cursor it did not issue: the client's mistake.
      if (!(error instanceof RangeError)) throw error;
      return sendProblem(
        reply,
        problem(
          'QueryParameterException',
          'nextPageToken is not a token from a previous page of GET /capture',
          { parameter: 'nextPageToken' },
        ),
      );
    }
    if (page.nextCursor !== null) {
      const next = `/capture?perPage=${perPage}&nextPageToken=${encodeURIComponent(page.nextCursor)}`;
      reply.header('Link', `<${next}>; rel="next"`);
    }
    return reply.send(page.jobs.map((record) => record.job));
  });

  app.get('/capture/:captureID', async (request, reply) => {
    const { captureID } = request.params as { captureID: string };
    const record = deps.jobs.get(captureID);
    if (record === null) {
      return sendProblem(reply, problem('NoSuchResourceException', `there is no capture job ${captureID}`));
    }
    return reply.send(record.job);
  });

  // 201 with the stored event (OpenAPI: EPCISEvent), as GET /events/{eventID} would show it: with
  // its eventID, recordTime and @context, identifiers in the negotiated GS1-EPC-Format. The format is
  // negotiated before storing, so a 406 never follows a capture that already happened.
  app.post('/events', async (request, reply) => {
    const negotiated = negotiateEpcFormat(request.headers['gs1-epc-format']);
    if (!negotiated.ok) return sendProblem(reply, negotiated.problem);
    const body = captureBody(request.body);
    if (!body.ok) {
      if (body.problem.status === 413) reply.headers(limitHeaders);
      return sendProblem(reply, body.problem);
    }
    const outcome = await deps.capture.captureEvent(body.bytes);
    if (outcome.kind === 'refused') {
      if (outcome.problem.status === 413) reply.headers(limitHeaders);
      return sendProblem(reply, body.explain(outcome.problem), outcome.status);
    }
    const event = eventForOutput(outcome.event, negotiated.format, deps.toDigitalLink);
    return reply
      .code(201)
      .header('Location', `/events/${encodeURIComponent(outcome.eventId)}`)
      .header('GS1-EPC-Format', negotiated.format)
      .type('application/ld+json')
      .send({ '@context': mergedContext([outcome.event]), ...event });
  });
}
