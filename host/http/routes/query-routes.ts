// EPCIS query interface: GET /events, GET /events/{eventID}, the resource views
// (/eventTypes, /epcs, /bizSteps, /bizLocations, /readPoints, /dispositions, each with /{value} and
// /{value}/events) and discovery (GET /).
import type { Statement } from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import type { EventReader } from '../../store/event-reader.js';
import { negotiateEpcFormat } from '../epc-format.js';
import { EPCIS_CONTEXT_URL } from '../epcis-context.js';
import { DEFAULT_PAGE_SIZE, readPageSize } from '../page-size.js';
import { problem, sendProblem } from '../problem.js';
import { queryDocument } from '../query-document.js';
import { createEventQueryResponder, type EventQueryDeps } from './event-query-responder.js';
import { negotiateAnswer } from '../../xml/answer-negotiation.js';
import { queryDocumentXml, renderEventListXml, XML_ANSWER_TYPE } from '../../xml/query-document-xml.js';

export interface QueryRoutesDeps extends EventQueryDeps {
  reader: EventReader;
  /** TRACKING_ENABLED: an EPC also has the tracking sub-resources state and contents. */
  trackingEnabled?: boolean;
}

type Params = Record<string, string | string[]>;

/** A resource view: which query parameter its {value} becomes, and how to list known values. */
interface ResourceView {
  parameter: string;
  listSql: string;
}

const VIEWS: Record<string, ResourceView> = {
  eventTypes: {
    parameter: 'eventType',
    listSql: 'SELECT DISTINCT event_type AS v FROM events WHERE event_type > ? ORDER BY event_type LIMIT ?',
  },
  epcs: {
    parameter: 'MATCH_anyEPC',
    listSql: 'SELECT DISTINCT epc AS v FROM event_epcs WHERE epc > ? ORDER BY epc LIMIT ?',
  },
  bizSteps: {
    parameter: 'EQ_bizStep',
    listSql: 'SELECT DISTINCT biz_step AS v FROM events WHERE biz_step > ? ORDER BY biz_step LIMIT ?',
  },
  bizLocations: {
    parameter: 'EQ_bizLocation',
    listSql:
      'SELECT DISTINCT biz_location AS v FROM events WHERE biz_location > ? ORDER BY biz_location LIMIT ?',
  },
  readPoints: {
    parameter: 'EQ_readPoint',
    listSql: 'SELECT DISTINCT read_point AS v FROM events WHERE read_point > ? ORDER BY read_point LIMIT ?',
  },
  dispositions: {
    parameter: 'EQ_disposition',
    listSql:
      'SELECT DISTINCT disposition AS v FROM events WHERE disposition > ? ORDER BY disposition LIMIT ?',
  },
};

const TOP_LEVEL = [
  'capture',
  'events',
  'eventTypes',
  'epcs',
  'bizSteps',
  'bizLocations',
  'readPoints',
  'dispositions',
  'queries',
];
const MAX_LIST = 1000;

/** A JSON-LD Collection, the shape of every discovery answer (OpenAPI *Collection schemas). */
const collection = (member: readonly string[]) => ({
  '@context': EPCIS_CONTEXT_URL,
  type: 'Collection',
  member,
});

function listPage(
  list: Statement<[string, number], { v: string }>,
  query: Params,
  limit: number,
): { members: string[]; next: string | null } {
  const after =
    typeof query['nextPageToken'] === 'string'
      ? Buffer.from(query['nextPageToken'], 'base64url').toString('utf8')
      : '';
  const rows = list.all(after, limit + 1);
  const members = rows.slice(0, limit).map((row) => row.v);
  const last = members[members.length - 1];
  return {
    members,
    next: rows.length > limit && last !== undefined ? Buffer.from(last).toString('base64url') : null,
  };
}

// One event and its declarations are rendered in one go, as the JSON answer is.
const noPause = () => Promise.resolve();

export function registerQueryRoutes(app: FastifyInstance, deps: QueryRoutesDeps): void {
  const answer = createEventQueryResponder(deps);

  app.get('/', async () => collection(TOP_LEVEL));

  app.get('/events', async (request, reply) => answer(request, reply, request.query as Params, 'events'));

  app.get('/events/:eventID', async (request, reply) => {
    const { eventID } = request.params as { eventID: string };
    const negotiated = negotiateEpcFormat(request.headers['gs1-epc-format']);
    if (!negotiated.ok) return sendProblem(reply, negotiated.problem);
    const answerFormat = negotiateAnswer(request.headers.accept);
    if (!answerFormat.ok) return sendProblem(reply, answerFormat.problem);
    const found = deps.reader.byEventId(eventID);
    if (found === null)
      return sendProblem(
        reply,
        problem('NoSuchResourceException', `there is no event with eventID ${eventID}`),
      );
    const events = [...(found.event === null ? [] : [found.event]), ...found.declarations];
    deps.metrics.query.queries.inc({ endpoint: 'event' });
    if (answerFormat.format === 'xml') {
      const list = await renderEventListXml(events, negotiated.format, deps.canon.toDigitalLink, noPause);
      return reply.type(XML_ANSWER_TYPE).send(queryDocumentXml('SimpleEventQuery', list, new Date()));
    }
    return reply
      .type('application/ld+json')
      .send(queryDocument('SimpleEventQuery', events, negotiated.format, deps.canon.toDigitalLink));
  });

  for (const [resource, view] of Object.entries(VIEWS)) {
    // Prepared once per view at start, not per request.
    const list = deps.db.prepare<[string, number], { v: string }>(view.listSql);
    app.get(`/${resource}`, async (request, reply) => {
      const query = request.query as Params;
      const perPage = readPageSize(query['perPage'], { defaultSize: DEFAULT_PAGE_SIZE, ceiling: MAX_LIST });
      if (!perPage.ok) return sendProblem(reply, perPage.problem);
      const page = listPage(list, query, perPage.size);
      if (page.next !== null) reply.header('Link', `</${resource}?nextPageToken=${page.next}>; rel="next"`);
      return reply.send(collection(page.members));
    });
    const members =
      resource === 'epcs' && deps.trackingEnabled === true ? ['events', 'state', 'contents'] : ['events'];
    app.get(`/${resource}/:value`, async () => collection(members));
    app.get(`/${resource}/:value/events`, async (request, reply) => {
      const { value } = request.params as { value: string };
      const params = { ...(request.query as Params), [view.parameter]: value };
      return answer(request, reply, params, resource);
    });
  }

  // Page tokens are signed and hold no server state (host/query/page-token.ts), so there is nothing
  // to invalidate: a token stops working by itself at its GS1-Next-Page-Token-Expires. The OpenAPI
  // names 501 with an ImplementationException for a server that does not invalidate tokens early.
  app.delete('/nextPageToken/:token', async (_request, reply) =>
    sendProblem(reply, {
      ...problem(
        'ImplementationException',
        'page tokens cannot be invalidated early; each expires by itself at its GS1-Next-Page-Token-Expires',
      ),
      status: 501,
      title: 'Not Implemented',
    }),
  );
}
