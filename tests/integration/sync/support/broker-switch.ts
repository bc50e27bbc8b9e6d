// A loopback TCP relay in front of the test broker that a test can cut and restore, to play a WAN
// link going down and coming back; and hold the broker's replies for a moment, to show that rows
// are marked sent only when confirms arrive.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export class BrokerSwitch {
  private server: Server | null = null;
  private readonly pairs = new Set<{ client: Socket; broker: Socket }>();
  private holding = false;
  private readonly held: { client: Socket; chunk: Buffer }[] = [];
  private listenPort = 0;

  constructor(private readonly target = { host: '127.0.0.1', port: 5672 }) {}

  get port(): number {
    return this.listenPort;
  }

  /** amqp:// URL through the switch. */
  url(credentials = 'guest:guest'): string {
    return `amqp://${credentials}@127.0.0.1:${this.listenPort}`;
  }

  /** Starts accepting (on the same port as before, once one was chosen). */
  async connect(): Promise<void> {
    if (this.server !== null) return;
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, '127.0.0.1', () => resolve());
    });
    this.listenPort = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Cuts every connection and refuses new ones. */
  async disconnect(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const { client, broker } of this.pairs) {
      client.destroy();
      broker.destroy();
    }
    this.pairs.clear();
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Broker → client bytes wait (publisher confirms among them) until release(). */
  hold(): void {
    this.holding = true;
  }

  release(): void {
    this.holding = false;
    for (const { client, chunk } of this.held.splice(0)) if (!client.destroyed) client.write(chunk);
  }

  private accept(client: Socket): void {
    const broker = createConnection(this.target);
    const pair = { client, broker };
    this.pairs.add(pair);
    const end = () => {
      client.destroy();
      broker.destroy();
      this.pairs.delete(pair);
    };
    client.on('error', end).on('close', end);
    broker.on('error', end).on('close', end);
    client.on('data', (chunk: Buffer) => broker.write(chunk));
    broker.on('data', (chunk: Buffer) => {
      if (this.holding) this.held.push({ client, chunk });
      else client.write(chunk);
    });
  }
}
