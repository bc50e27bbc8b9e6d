// One supervised broker connection. It connects, hands the connection to its owner (onUp: declare
// topology, open channels), and on any loss (connection or channel error, broker restart or
// shutdown, missed heartbeats on a dropped TCP link, a failed handshake) tells the owner (onDown)
// and reconnects after a backoff with jitter, for as long as it runs. The owner reports a broken
// channel with fail(), which drops the whole connection: after a channel error nothing about the
// in-flight state can be trusted, and a fresh connection is the one recovery path to get right.
import amqp, { type ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import { type BackoffPolicy, backoffDelay, RECONNECT_BACKOFF } from './backoff.js';
import type { BrokerAccess } from './broker-access.js';
import { redactText } from './redact.js';

export type LinkState = 'idle' | 'connecting' | 'connected' | 'blocked' | 'disconnected' | 'stopped';
export const LINK_STATES: readonly LinkState[] = [
  'idle',
  'connecting',
  'connected',
  'blocked',
  'disconnected',
  'stopped',
];

const CONNECT_TIMEOUT_MS = 10_000;

export interface AmqpLinkOptions {
  /** publish or consume: one connection each, so broker flow control on publishing never stalls acks. */
  name: string;
  broker: BrokerAccess;
  logger: Logger;
  /** Sets up the connection (topology, channels); a throw drops the connection and retries. */
  onUp: (model: ChannelModel) => Promise<void>;
  /** The connection is gone: forget its channels and anything in flight on them. */
  onDown: () => void;
  onBlocked?: (blocked: boolean) => void;
  onStateChange?: (state: LinkState) => void;
  onReconnect?: () => void;
  backoff?: BackoffPolicy;
  clientName?: string;
}

export class AmqpLink {
  private model: ChannelModel | null = null;
  private currentState: LinkState = 'idle';
  private attempt = 0;
  private everConnected = false;
  private timer: NodeJS.Timeout | null = null;
  private lastErrorText: string | null = null;
  private lastErrorAt: number | null = null;
  private connectedSince: number | null = null;
  /** Bumped at every connection attempt and loss, so events of an old connection are ignored. */
  private generation = 0;

  constructor(private readonly options: AmqpLinkOptions) {}

  get state(): LinkState {
    return this.currentState;
  }

  get lastError(): { message: string; atMs: number } | null {
    return this.lastErrorText === null ? null : { message: this.lastErrorText, atMs: this.lastErrorAt! };
  }

  get connectedAtMs(): number | null {
    return this.connectedSince;
  }

  start(): void {
    if (this.currentState !== 'idle') return;
    void this.connect();
  }

  /**
   * Reports a broken channel of connection `model`: drops it and reconnects. A report about an
   * older connection (a late callback of a channel already replaced) is ignored.
   */
  fail(error: unknown, model: ChannelModel): void {
    if (this.currentState === 'stopped' || this.model === null || this.model !== model) return;
    this.lost(this.generation, error);
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const model = this.model;
    this.model = null;
    this.generation++;
    this.setState('stopped');
    if (model !== null) await model.close().catch(() => undefined);
  }

  private setState(state: LinkState): void {
    if (this.currentState === state) return;
    this.currentState = state;
    this.options.onStateChange?.(state);
  }

  private remember(error: unknown): string {
    const raw = error instanceof Error ? error.message : String(error);
    this.lastErrorText = redactText(raw, this.options.broker.secrets());
    this.lastErrorAt = Date.now();
    return this.lastErrorText;
  }

  private async connect(): Promise<void> {
    if (this.currentState === 'stopped') return;
    const generation = ++this.generation;
    this.setState('connecting');
    let model: ChannelModel;
    try {
      model = await withTimeout(
        amqp.connect(this.options.broker.url(), {
          ...this.options.broker.socketOptions(),
          timeout: CONNECT_TIMEOUT_MS,
          clientProperties: { connection_name: this.options.clientName ?? `edgetrace ${this.options.name}` },
        }),
        CONNECT_TIMEOUT_MS,
        (late) => closeUnwanted(late),
      );
    } catch (error) {
      if (generation === this.generation) this.retryLater(generation, error);
      return;
    }
    if (generation !== this.generation) {
      closeUnwanted(model);
      return;
    }
    this.model = model;
    model.on('error', (error: Error) => this.remember(error));
    model.on('close', (error?: Error) => this.lost(generation, error ?? new Error('connection closed')));
    model.on('blocked', (reason: string) => this.blocked(generation, true, reason));
    model.on('unblocked', () => this.blocked(generation, false, ''));
    try {
      await this.options.onUp(model);
    } catch (error) {
      this.lost(generation, error);
      return;
    }
    if (generation !== this.generation) return;
    if (this.everConnected) this.options.onReconnect?.();
    this.everConnected = true;
    this.attempt = 0;
    this.connectedSince = Date.now();
    this.setState('connected');
    this.options.logger.info(
      { link: this.options.name, broker: this.options.broker.describe() },
      'connected to the broker',
    );
  }

  private blocked(generation: number, blocked: boolean, reason: string): void {
    if (generation !== this.generation || this.model === null) return;
    this.setState(blocked ? 'blocked' : 'connected');
    this.options.onBlocked?.(blocked);
    this.options.logger.warn(
      { link: this.options.name, reason },
      blocked ? 'the broker blocked publishing (resource alarm)' : 'the broker unblocked publishing',
    );
  }

  private lost(generation: number, error: unknown): void {
    if (generation !== this.generation || this.currentState === 'stopped') return;
    const model = this.model;
    this.model = null;
    this.connectedSince = null;
    this.options.onDown();
    if (model !== null) void model.close().catch(() => undefined);
    this.retryLater(generation, error);
  }

  private retryLater(generation: number, error: unknown): void {
    this.generation = generation + 1;
    this.setState('disconnected');
    const message = this.remember(error);
    const delayMs = backoffDelay(++this.attempt, this.options.backoff ?? RECONNECT_BACKOFF);
    this.options.logger.warn(
      { link: this.options.name, broker: this.options.broker.describe(), error: message, retryInMs: delayMs },
      'broker connection lost or refused; retrying',
    );
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delayMs);
    this.timer.unref();
  }
}

/** Resolves like `promise`, or rejects after `ms`; a late result is handed to `onLate`. */
function withTimeout<T>(promise: Promise<T>, ms: number, onLate: (value: T) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(new Error(`no AMQP connection within ${ms} ms`));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        if (settled) onLate(value);
        else resolve(value);
        settled = true;
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!settled) reject(error instanceof Error ? error : new Error(String(error)));
        settled = true;
      },
    );
  });
}

/**
 * Closes a connection nobody will use (it opened after its timeout, or after the link moved on). It
 * gets an error listener first: a connection that emits 'error' with none (the broker or the link
 * resetting it while it closes) is an uncaught exception that ends the process. Seen in CI as an
 * uncaught ECONNRESET while tests/integration/sync/relay.test.ts cut the link.
 */
function closeUnwanted(model: ChannelModel): void {
  model.on('error', () => undefined);
  void model.close().catch(() => undefined);
}
