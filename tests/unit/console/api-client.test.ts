import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, describeError, type TokenHolder } from '../../../ui/src/api-client.js';

const GOOD = 'et_good';

class MemoryTokens implements TokenHolder {
  constructor(private token: string | null = null) {}
  get(): string | null {
    return this.token;
  }
  set(token: string): void {
    this.token = token;
  }
}

function problem(status: number, detail: string): Response {
  return new Response(JSON.stringify({ type: 'epcisException:SecurityException', status, detail }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
}

/** A service that accepts only GOOD and says why it refuses anything else. */
function fakeService(): { calls: (string | null)[] } {
  const calls: (string | null)[] = [];
  vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
    const auth = new Headers(init.headers).get('authorization');
    calls.push(auth);
    await new Promise((resume) => setTimeout(resume, 1));
    if (auth === null) return problem(401, 'this endpoint requires an Authorization: Bearer token');
    if (auth !== `Bearer ${GOOD}`) return problem(401, 'the API key is not known');
    return new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } });
  });
  return { calls };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the console’s API calls', () => {
  it('let calls refused together wait for one token prompt, then all go through with its token', async () => {
    const service = fakeService();
    let prompts = 0;
    let pending: Promise<string> | null = null;
    // Like the token dialog: one open prompt, shared by every caller that asks while it is open.
    const api = new ApiClient(new MemoryTokens(), () => {
      if (pending === null) {
        prompts += 1;
        pending = new Promise((resolve) => setTimeout(() => resolve(GOOD), 5));
      }
      return pending;
    });
    const answers = await Promise.all([1, 2, 3, 4].map((n) => api.getJson<{ ok: boolean }>(`/x/${n}`)));
    expect(answers.map((answer) => answer.body)).toEqual([
      { ok: true },
      { ok: true },
      { ok: true },
      { ok: true },
    ]);
    expect(prompts).toBe(1);
    expect(service.calls.filter((auth) => auth === `Bearer ${GOOD}`)).toHaveLength(4);
  });

  it('asks again with the service’s reason when the entered token is refused, and never retries without one', async () => {
    const service = fakeService();
    const tokens = new MemoryTokens();
    const entered = ['et_typo', GOOD];
    const reasons: string[] = [];
    const api = new ApiClient(tokens, async (reason) => {
      reasons.push(reason);
      return entered.shift()!;
    });
    const answers = await Promise.all([api.getJson('/a'), api.getJson('/b')]);
    expect(answers).toHaveLength(2);
    expect(reasons[0]).toBe('this endpoint requires an Authorization: Bearer token');
    expect(reasons).toContain('the API key is not known');
    expect(tokens.get()).toBe(GOOD);
    // After the first token was entered, no call went out without a token again.
    const firstWithToken = service.calls.findIndex((auth) => auth !== null);
    expect(service.calls.slice(firstWithToken)).not.toContain(null);
  });

  it('turns a problem answer into an error carrying the service’s detail', async () => {
    vi.stubGlobal('fetch', async () => problem(404, 'urn:epc:id:sgtin:0614141.107346.1 was never seen'));
    const api = new ApiClient(new MemoryTokens(GOOD), async () => GOOD);
    const error = await api.getJson('/epcs/x/state').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(404);
    expect(describeError(error)).toBe('urn:epc:id:sgtin:0614141.107346.1 was never seen');
  });
});
