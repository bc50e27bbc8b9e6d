// A real webhook receiver on loopback (node:http) whose behaviour a test switches: "ok" answers 204
// and keeps the delivery, "fail" answers 500, "hang" reads the request and never answers (the
// service's delivery timeout has to give up on it). Only deliveries answered with 2xx count as
// received — the ones the service may treat as acknowledged.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceiverMode = 'ok' | 'fail' | 'hang';

export interface Delivery {
  body: Buffer;
  signature: string | undefined;
  document: {
    epcisBody: {
      queryResults: {
        queryName: string;
        subscriptionID: string;
        resultsBody: { eventList: Record<string, unknown>[] };
      };
    };
  };
}

export class WebhookReceiver {
  mode: ReceiverMode = 'ok';
  readonly received: Delivery[] = [];
  /** Every request, whatever it was answered with. */
  attempts: { mode: ReceiverMode; at: number }[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private readonly server: Server;

  private constructor() {
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/epcis-callback`;
  }

  /** Event IDs of all received deliveries, in arrival order. */
  eventIds(): string[] {
    return this.received.flatMap((d) =>
      d.document.epcisBody.queryResults.resultsBody.eventList.map((e) => String(e['eventID'])),
    );
  }

  attemptsIn(mode: ReceiverMode): number {
    return this.attempts.filter((a) => a.mode === mode).length;
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const mode = this.mode;
    this.attempts.push({ mode, at: Date.now() });
    if (mode === 'fail') {
      response.writeHead(500).end('receiver is down');
      return;
    }
    if (mode === 'hang') {
      this.hanging.add(response);
      return;
    }
    const body = Buffer.concat(chunks);
    const signature = request.headers['gs1-signature'];
    this.received.push({
      body,
      signature: Array.isArray(signature) ? signature[0] : signature,
      document: JSON.parse(body.toString('utf8')) as Delivery['document'],
    });
    response.writeHead(204).end();
  }
}

/** Polls `condition` every 20 ms until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
