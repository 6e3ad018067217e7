import { randomUUID } from 'node:crypto';
import { TEST_AUTH_URL } from './test-service.js';

export interface Response<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** Looks at every answer; throws to fail the request that got it. */
export type AnswerCheck = (method: string, path: string, answer: Response) => void;

/**
 * Raw HTTP calls against a running service; bodies parsed when they are JSON. With `check`,
 * every answer is checked (against the OpenAPI document, in the worlds) before it is returned.
 */
export class Api {
  constructor(
    readonly baseUrl: string,
    private readonly check?: AnswerCheck,
  ) {}

  async request<T = unknown>(
    method: string,
    path: string,
    options: {
      token?: string;
      json?: unknown;
      headers?: Record<string, string>;
      body?: string;
    } = {},
  ): Promise<Response<T>> {
    const headers: Record<string, string> = { Origin: TEST_AUTH_URL, ...options.headers };
    if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
    let body = options.body;
    if (options.json !== undefined) {
      headers['Content-Type'] ??= 'application/json';
      body = JSON.stringify(options.json);
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    const answer = {
      status: res.status,
      headers: res.headers,
      body: (type.includes('json') && text ? JSON.parse(text) : text) as T,
    };
    this.check?.(method, path, answer);
    return answer;
  }
}

export interface SignedInUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  /** The Better Auth session cookie. */
  readonly cookie: string;
  /** A JWT from GET /api/auth/token. */
  readonly token: string;
}

/** Signs a new user up through Better Auth and fetches their JWT, as a frontend would. */
export async function signUp(
  api: Api,
  name = 'Test User',
  /** The Origin header, which Better Auth checks against its trusted origins. */
  origin = TEST_AUTH_URL,
): Promise<SignedInUser> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${randomUUID().slice(0, 8)}@example.com`;
  const res = await fetch(`${api.baseUrl}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: origin },
    body: JSON.stringify({ email, password: 'correct-horse-battery-staple', name }),
  });
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const { user } = (await res.json()) as { user: { id: string } };
  const cookie = sessionCookie(res.headers);
  return { id: user.id, email, name, cookie, token: await fetchToken(api, cookie) };
}

export async function fetchToken(api: Api, cookie: string): Promise<string> {
  const res = await fetch(`${api.baseUrl}/api/auth/token`, { headers: { Cookie: cookie } });
  if (res.status !== 200) throw new Error(`token failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export function sessionCookie(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}
