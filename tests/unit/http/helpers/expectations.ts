// Assertions on the response shapes the EPCIS 2.0 OpenAPI defines: RFC 7807 problems with an
// epcisException type, and capture jobs (components/schemas/CaptureJob).
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

/** The response is an application/problem+json error of this status and EPCIS exception type. */
export function expectProblem(
  response: LightMyRequestResponse,
  status: number,
  exception: string,
): ProblemBody {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json\b/);
  const body = response.json<ProblemBody>();
  expect(body).toMatchObject({ type: `epcisException:${exception}`, status });
  expect(typeof body.title).toBe('string');
  expect(body.title.length).toBeGreaterThan(0);
  expect(typeof body.detail).toBe('string');
  expect(body.detail.length).toBeGreaterThan(0);
  return body;
}

export interface CaptureJobBody {
  captureID: string;
  createdAt: string;
  finishedAt?: string;
  running: boolean;
  success: boolean;
  captureErrorBehaviour: 'rollback' | 'proceed';
  errors: ProblemBody[];
}

const CAPTURE_JOB_MEMBERS = [
  'captureID',
  'createdAt',
  'finishedAt',
  'running',
  'success',
  'captureErrorBehaviour',
  'errors',
];
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** The value has the OpenAPI CaptureJob shape (with `errors`, not `errorFile`); returns it typed. */
export function expectCaptureJob(value: unknown): CaptureJobBody {
  expect(value).toBeTypeOf('object');
  const job = value as CaptureJobBody;
  for (const member of Object.keys(job)) expect(CAPTURE_JOB_MEMBERS).toContain(member);
  expect(job.captureID).toBeTypeOf('string');
  expect(job.captureID.length).toBeGreaterThan(0);
  expect(job.createdAt).toMatch(DATE_TIME);
  if (job.finishedAt !== undefined) {
    expect(job.finishedAt).toMatch(DATE_TIME);
    expect(Date.parse(job.finishedAt)).toBeGreaterThanOrEqual(Date.parse(job.createdAt));
  }
  expect(job.running).toBeTypeOf('boolean');
  expect(job.success).toBeTypeOf('boolean');
  expect(['rollback', 'proceed']).toContain(job.captureErrorBehaviour);
  expect(Array.isArray(job.errors)).toBe(true);
  for (const error of job.errors) {
    expect(error.type).toMatch(/^epcisException:/);
    expect(error.title).toBeTypeOf('string');
  }
  if (job.success) expect(job.errors).toEqual([]);
  return job;
}
