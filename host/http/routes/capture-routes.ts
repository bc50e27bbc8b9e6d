// EPCIS capture interface (OpenAPI /capture, /capture/{captureID}, POST /events).
import type { FastifyInstance } from 'fastify';
import type { CaptureService } from '../../capture/capture-service.js';
import type { CaptureErrorBehaviour, CaptureJobPage, CaptureJobs } from '../../store/capture-jobs.js';
import { captureLimitHeaders, type CaptureLimitHeaders } from '../gs1-headers.js';
import { problem, sendProblem } from '../problem.js';

export interface CaptureRoutesDeps {
  capture: CaptureService;
  jobs: CaptureJobs;
  limits: CaptureLimitHeaders;
}

function errorBehaviour(header: string | string[] | undefined): CaptureErrorBehaviour | null {
  if (header === undefined) return 'rollback';
  const value = (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase();
  return value === 'rollback' || value === 'proceed' ? value : null;
}

const MAX_JOBS_PER_PAGE = 100;

export function registerCaptureRoutes(app: FastifyInstance, deps: CaptureRoutesDeps): void {
  const limitHeaders = captureLimitHeaders(deps.limits);

  app.options('/capture', async (_request, reply) =>
    reply
      .code(204)
      .headers({ Allow: 'OPTIONS, GET, POST', ...limitHeaders })
      .send(),
  );

  app.post('/capture', async (request, reply) => {
    const behaviour = errorBehaviour(request.headers['gs1-capture-error-behaviour']);
    if (behaviour === null) {
      return sendProblem(
        reply,
        problem('ValidationException', 'GS1-Capture-Error-Behaviour must be rollback or proceed'),
      );
    }
    const outcome = await deps.capture.captureDocument(request.body as Buffer, behaviour);
    if (outcome.kind === 'refused') {
      if (outcome.problem.status === 413) reply.headers(limitHeaders);
      return sendProblem(reply, outcome.problem, outcome.status);
    }
    const id = outcome.job.job.captureID;
    return reply
      .code(202)
      .header('Location', `/capture/${encodeURIComponent(id)}`)
      .send(outcome.job.job);
  });

  app.get('/capture', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const perPage = Math.min(MAX_JOBS_PER_PAGE, Number(query['perPage'] ?? 30));
    if (!Number.isInteger(perPage) || perPage < 1) {
      return sendProblem(
        reply,
        problem('QueryParameterException', 'perPage must be a whole number from 1 to 100'),
      );
    }
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

  app.post('/events', async (request, reply) => {
    const outcome = await deps.capture.captureEvent(request.body as Buffer);
    if (outcome.kind === 'refused') {
      if (outcome.problem.status === 413) reply.headers(limitHeaders);
      return sendProblem(reply, outcome.problem, outcome.status);
    }
    return reply
      .code(201)
      .header('Location', `/events/${encodeURIComponent(outcome.eventId)}`)
      .send();
  });
}
