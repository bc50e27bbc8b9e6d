// Named queries and subscriptions (EPCIS.md §1.6, OpenAPI /queries…): POST /queries (201 / 409),
// GET /queries, GET and DELETE /queries/{name}, GET /queries/{name}/events — paginated like GET
// /events, or with `Upgrade: websocket` and stream=true a WebSocket subscription on the same route —
// and the webhook subscriptions under /queries/{name}/subscriptions.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { nameProblem } from '../../queries/named-query-store.js';
import { negotiateEpcFormat } from '../epc-format.js';
import { DEFAULT_PAGE_SIZE, readPageSize } from '../page-size.js';
import { problem, sendProblem } from '../problem.js';
import { createEventQueryResponder, type EventQueryDeps } from './event-query-responder.js';
import { noSuchQuery, parseJsonBody } from './named-query-replies.js';
import {
  announceMinRecordTime,
  openStream,
  prepareUpgrade,
  type QueryStreamDeps,
} from './query-stream-socket.js';
import { registerSubscriptionRoutes } from './subscription-routes.js';

export type NamedQueryRoutesDeps = EventQueryDeps & QueryStreamDeps;

type Params = Record<string, string | string[]>;

const PAGING = ['perPage', 'nextPageToken'];
const SUBSCRIPTION_PARAMS = [
  'stream',
  'initialRecordTime',
  'reportIfEmpty',
  'second',
  'minute',
  'hour',
  'dayOfMonth',
  'month',
  'dayOfWeek',
];
const MAX_LIST = 1000;
export function registerNamedQueryRoutes(app: FastifyInstance, deps: NamedQueryRoutesDeps): void {
  const { namedQueries } = deps;
  const answer = createEventQueryResponder(deps);

  announceMinRecordTime(app);

  app.post('/queries', async (request, reply) => {
    const body = parseJsonBody(request.body);
    if (!body.ok || typeof body.value !== 'object' || body.value === null || Array.isArray(body.value)) {
      return sendProblem(
        reply,
        problem('QueryValidationException', 'the body must be a JSON object {"name": …, "query": {…}}', {
          field: '',
        }),
      );
    }
    const { name, query, ...rest } = body.value as Record<string, unknown>;
    const extra = Object.keys(rest)[0];
    if (extra !== undefined) {
      return sendProblem(
        reply,
        problem(
          'QueryValidationException',
          `${extra} is not a member of a query definition; send name and query only`,
          { field: extra },
        ),
      );
    }
    const badName = nameProblem(name);
    if (badName !== null)
      return sendProblem(reply, problem('QueryValidationException', badName, { field: 'name' }));
    const parsed = namedQueries.parseBody(query);
    if (!parsed.ok) {
      return sendProblem(
        reply,
        problem('QueryValidationException', parsed.problem.detail, { field: parsed.problem.field }),
      );
    }
    const created = await namedQueries.queries.create({
      name: name as string,
      queryJson: JSON.stringify(query),
      createdMs: Date.now(),
    });
    if (!created) {
      return sendProblem(
        reply,
        problem(
          'ResourceAlreadyExistsException',
          `a named query ${name as string} exists already; delete it first or choose another name`,
        ),
      );
    }
    return reply
      .code(201)
      .header('Location', `/queries/${name as string}`)
      .send({ name, query });
  });

  app.get('/queries', async (request, reply) => {
    const params = request.query as Params;
    const perPage = readPageSize(params['perPage'], { defaultSize: DEFAULT_PAGE_SIZE, ceiling: MAX_LIST });
    if (!perPage.ok) return sendProblem(reply, perPage.problem);
    const token = params['nextPageToken'];
    const after = typeof token === 'string' ? Buffer.from(token, 'base64url').toString('utf8') : '';
    const limit = perPage.size;
    const rows = namedQueries.queries.list(after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    if (rows.length > limit && last !== undefined) {
      reply.header(
        'Link',
        `</queries?perPage=${limit}&nextPageToken=${Buffer.from(last.name).toString('base64url')}>; rel="next"`,
      );
    }
    return reply.send(page.map((q) => ({ name: q.name, query: JSON.parse(q.queryJson) as unknown })));
  });

  app.get('/queries/:name', async (request, reply) => {
    const { name } = request.params as { name: string };
    const found = namedQueries.queries.get(name);
    if (found === null) return noSuchQuery(reply, name);
    return reply.send({ name: found.name, query: JSON.parse(found.queryJson) as unknown });
  });

  app.delete('/queries/:name', async (request, reply) => {
    const { name } = request.params as { name: string };
    if (!(await namedQueries.delete(name))) return noSuchQuery(reply, name);
    return reply.code(204).send();
  });

  app.route({
    method: 'GET',
    url: '/queries/:name/events',
    // Runs before the upgrade, so a WebSocket request for an unknown query or with bad parameters
    // gets an ordinary HTTP problem answer instead of a 101.
    preHandler: async (request, reply) => {
      const { name } = request.params as { name: string };
      if (namedQueries.queries.get(name) === null) return noSuchQuery(reply, name);
      const params = request.query as Params;
      const unknown = Object.keys(params).find(
        (key) => !PAGING.includes(key) && !SUBSCRIPTION_PARAMS.includes(key),
      );
      if (unknown !== undefined) {
        return sendProblem(
          reply,
          problem(
            'QueryParameterException',
            `${unknown} is not a parameter of a named query's events; the query is fixed by its definition (use perPage and nextPageToken, or stream=true with a WebSocket)`,
            { parameter: unknown },
          ),
        );
      }
      const subscribing = Object.keys(params).filter((key) => SUBSCRIPTION_PARAMS.includes(key));
      if (!request.ws) {
        if (subscribing.length === 0) return;
        return sendProblem(
          reply,
          problem(
            'SubscriptionControlsException',
            `${subscribing[0]} subscribes; open a WebSocket (Upgrade: websocket) or POST /queries/${name}/subscriptions for a webhook`,
          ),
        );
      }
      const format = negotiateEpcFormat(request.headers['gs1-epc-format']);
      if (!format.ok) return sendProblem(reply, format.problem);
      const refused = prepareUpgrade(request, reply, deps.webSocket.slots);
      if (refused !== null) return refused;
    },
    handler: async (request, reply) => {
      const { name } = request.params as { name: string };
      const definition = namedQueries.queries.get(name);
      if (definition === null) return noSuchQuery(reply, name);
      const parsed = namedQueries.parse(definition);
      if (!parsed.ok) throw new Error(`stored query ${name} no longer parses: ${parsed.problem.detail}`);
      const urlParams = request.query as Params;
      return answer(request, reply, { ...parsed.params, ...pick(urlParams, PAGING) }, 'queries', {
        queryName: name,
        urlParams,
        definitionKey: `${definition.createdMs}:${definition.queryJson}`,
      });
    },
    wsHandler: (socket: WebSocket, request: FastifyRequest) => openStream(socket, request, deps),
  });

  registerSubscriptionRoutes(app, namedQueries);
}

function pick(params: Params, names: string[]): Params {
  return Object.fromEntries(Object.entries(params).filter(([key]) => names.includes(key)));
}
