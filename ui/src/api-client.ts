// Every call the console makes to the service goes through here: it adds the Bearer token, asks
// for one when the service answers 401 and sends the request again, and turns problem+json
// answers into errors that carry the service's own `detail` sentence for the operator.
import type { ProblemBody } from './api-types.js';

/** Where the token is kept (sessionStorage in the page; see token-store.ts). */
export interface TokenHolder {
  get(): string | null;
  set(token: string): void;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly problemType: string | null,
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

async function problemOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: ProblemBody = {};
  try {
    body = JSON.parse(text) as ProblemBody;
  } catch {
    // Not JSON (a proxy's error page, say): the status line is all there is to show.
  }
  const detail = body.detail ?? (`${response.status} ${response.statusText}`.trim() || 'request failed');
  return new ApiError(response.status, detail, body.type ?? null);
}

export class ApiClient {
  constructor(
    private readonly tokens: TokenHolder,
    private readonly askToken: (reason: string) => Promise<string>,
  ) {}

  /** Sends a request; on 401 asks for a token (once for all concurrent callers) and retries. */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    for (;;) {
      const headers = new Headers(init.headers);
      const token = this.tokens.get();
      if (token !== null) headers.set('Authorization', `Bearer ${token}`);
      if (!headers.has('Accept')) headers.set('Accept', 'application/json, application/problem+json');
      const response = await fetch(path, { ...init, headers });
      if (response.status !== 401) return response;
      const problem = await problemOf(response);
      // Another request may have stored a fresh token while this one was on the wire. The refused
      // token stays stored until the operator replaces it, so that every request refused with it
      // joins the same dialog instead of retrying without a token.
      if (this.tokens.get() !== token) continue;
      this.tokens.set(await this.askToken(problem.detail));
    }
  }

  /** GETs JSON; throws ApiError with the service's detail on any non-2xx answer. */
  async getJson<T>(path: string, signal?: AbortSignal): Promise<{ body: T; response: Response }> {
    const response = await this.fetch(path, signal === undefined ? {} : { signal });
    if (!response.ok) throw await problemOf(response);
    return { body: (await response.json()) as T, response };
  }

  /** Raises the problem of a response that was not ok. */
  static async failure(response: Response): Promise<ApiError> {
    return problemOf(response);
  }
}

/** The message to show for any error a call raised. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError && error.status === 403)
    return `${error.detail}; press Token to use another token`;
  if (error instanceof ApiError) return error.detail;
  if (error instanceof Error) return `the service could not be reached (${error.message})`;
  return String(error);
}

/** The target of a `Link: <…>; rel="next"` header, or null. */
export function nextLink(response: Response): string | null {
  const header = response.headers.get('link');
  if (header === null) return null;
  return /<([^>]+)>;\s*rel="next"/.exec(header)?.[1] ?? null;
}
