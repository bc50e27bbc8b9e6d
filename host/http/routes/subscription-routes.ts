// Webhook subscriptions of a named query (OpenAPI /queries/{name}/subscriptions[/{subscriptionID}]):
// create (201 + Location; the signatureToken is never shown again), list, show, delete. Delivery is
// the WebhookWorker's job (host/queries).
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { NamedQueries } from '../../queries/named-queries.js';
import { parseSubscriptionRequest } from '../../queries/subscription-request.js';
import type { Subscription } from '../../queries/subscription-store.js';
import { negotiateEpcFormat } from '../epc-format.js';
import { problem, sendProblem } from '../problem.js';
import { noSuchQuery, parseJsonBody } from './named-query-replies.js';

export function subscriptionJson(s: Subscription): Record<string, unknown> {
  return {
    subscriptionID: s.subscriptionId,
    queryName: s.queryName,
    dest: s.dest,
    ...(s.schedule === null ? { stream: true } : { schedule: s.schedule, reportIfEmpty: s.reportIfEmpty }),
    initialRecordTime: new Date(s.initialRecordTimeMs).toISOString(),
    createdAt: new Date(s.createdMs).toISOString(),
    ...(s.lastNotifiedMs === null ? {} : { lastNotifiedAt: new Date(s.lastNotifiedMs).toISOString() }),
    epcFormat: s.epcFormat,
    // Delivery state, so an operator can see a receiver that keeps failing.
    ...(s.failedAttempts === 0
      ? {}
      : {
          failedAttempts: s.failedAttempts,
          nextAttemptAt: s.nextAttemptMs === null ? null : new Date(s.nextAttemptMs).toISOString(),
          lastError: s.lastError,
        }),
  };
}

export function registerSubscriptionRoutes(app: FastifyInstance, namedQueries: NamedQueries): void {
  app.get('/queries/:name/subscriptions', async (request, reply) => {
    const { name } = request.params as { name: string };
    if (namedQueries.queries.get(name) === null) return noSuchQuery(reply, name);
    return reply.send(namedQueries.subscriptions.forQuery(name).map(subscriptionJson));
  });

  app.post('/queries/:name/subscriptions', async (request, reply) => {
    const { name } = request.params as { name: string };
    if (namedQueries.queries.get(name) === null) return noSuchQuery(reply, name);
    const body = parseJsonBody(request.body);
    if (!body.ok) {
      return sendProblem(
        reply,
        problem(
          'SubscriptionControlsException',
          'the body must be a JSON object like {"dest":"https://…","stream":true}',
        ),
      );
    }
    const parsed = parseSubscriptionRequest(body.value);
    if (!parsed.ok)
      return sendProblem(
        reply,
        problem('SubscriptionControlsException', parsed.detail, { field: parsed.field }),
      );
    const format = negotiateEpcFormat(request.headers['gs1-epc-format']);
    if (!format.ok) return sendProblem(reply, format.problem);
    // The answer says no more than "refused by policy": which addresses a name resolves to, or why
    // one is refused, would tell the client about the site's internal network.
    if (!(await namedQueries.allowsDestination(parsed.request.dest))) {
      return sendProblem(
        reply,
        problem(
          'SubscriptionControlsException',
          'dest is refused by policy: this site delivers to public addresses and to the destinations its operator allows (WEBHOOK_ALLOWED_DESTINATIONS)',
          { field: 'dest' },
        ),
      );
    }
    const subscription = await namedQueries.subscribe(name, parsed.request, format.format);
    if (subscription === null) return noSuchQuery(reply, name);
    return reply
      .code(201)
      .header('Location', `/queries/${name}/subscriptions/${subscription.subscriptionId}`)
      .send(subscriptionJson(subscription));
  });

  app.get('/queries/:name/subscriptions/:subscriptionID', async (request, reply) => {
    const { name, subscriptionID } = request.params as { name: string; subscriptionID: string };
    const found = namedQueries.subscriptions.get(name, subscriptionID);
    if (found === null) return noSuchSubscription(reply, name, subscriptionID);
    return reply.send(subscriptionJson(found));
  });

  app.delete('/queries/:name/subscriptions/:subscriptionID', async (request, reply) => {
    const { name, subscriptionID } = request.params as { name: string; subscriptionID: string };
    if (!(await namedQueries.unsubscribe(name, subscriptionID)))
      return noSuchSubscription(reply, name, subscriptionID);
    return reply.code(204).send();
  });
}

const noSuchSubscription = (reply: FastifyReply, name: string, id: string) =>
  sendProblem(reply, problem('NoSuchNameException', `the named query ${name} has no subscription ${id}`));
