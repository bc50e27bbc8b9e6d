// Shared set-up of the tracking API tests: the real service in-process, events captured through
// POST /capture, and small readers for the answers.
import { expect } from 'vitest';
import { epcisDocument, type EpcisEvent, sgln } from '../../helpers/epcis-builders.js';
import { buildServiceApp, get, post, type ServiceApp } from '../../helpers/service-app.js';

export type { ServiceApp };
export { buildServiceApp, get };

/** Captures the events in one document; fails the test when the capture is not a clean success. */
export async function capture(service: ServiceApp, ...events: EpcisEvent[]): Promise<void> {
  const response = await post(service.app, '/capture', epcisDocument(events));
  expect(response.statusCode, response.body).toBe(202);
  const job = await get(service.app, String(response.headers['location']));
  expect(job.json<{ success: boolean }>().success, job.body).toBe(true);
}

export const path = (id: string) => encodeURIComponent(id);

// The sites of the tracking scenarios, and the canonical Digital Links the service answers with for
// them (check digits computed by the core).
export const PLANT = sgln('00001');
export const DOCK = sgln('00002');
export const WAREHOUSE = sgln('00003');
export const AT_PLANT = 'https://id.gs1.org/414/0614141000012';
export const AT_DOCK = 'https://id.gs1.org/414/0614141000029';
export const AT_WAREHOUSE = 'https://id.gs1.org/414/0614141000036';

/** The canonical form the service answers with (GS1 Digital Link for GS1 keys). */
export async function canonicalOf(service: ServiceApp, id: string): Promise<string> {
  const response = await get(service.app, `/epcs/${path(id)}/state`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ epc: string }>().epc;
}
