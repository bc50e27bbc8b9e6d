// The hooks a sync test suite against the real broker shares: the broker connection opened before
// the suite; after it, every app the suite started closed, the namespaces it used deleted (with the
// site queues named), then the connection closed, so runs leave nothing on the shared broker.
import { afterAll, beforeAll } from 'vitest';
import { TestBroker } from '../../../helpers/rabbitmq.js';
import type { ServiceApp } from '../../../helpers/service-app.js';

export interface BrokerSuite {
  /** The broker connection; set before the first test. */
  readonly broker: TestBroker;
  /** Keeps `app` to be closed after the suite. */
  started(app: ServiceApp | Promise<ServiceApp>): Promise<ServiceApp>;
  /** Closes `app` now, instead of after the suite. */
  closeNow(app: ServiceApp): Promise<void>;
}

export function brokerSuite(
  namespaces: ReadonlyArray<readonly [namespace: string, siteIds: readonly string[]]>,
  options: { afterwards?: () => void } = {},
): BrokerSuite {
  const open: ServiceApp[] = [];
  let broker: TestBroker | undefined;
  beforeAll(async () => {
    broker = await TestBroker.connect();
  });
  afterAll(async () => {
    for (const app of open) await app.close();
    for (const [namespace, siteIds] of namespaces) await broker!.deleteNamespace(namespace, siteIds);
    await broker!.close();
    options.afterwards?.();
  });
  return {
    get broker() {
      if (broker === undefined) throw new Error('the broker connection opens before the first test');
      return broker;
    },
    async started(app) {
      const resolved = await app;
      open.push(resolved);
      return resolved;
    },
    async closeNow(app) {
      await app.close();
      open.splice(open.indexOf(app), 1);
    },
  };
}
