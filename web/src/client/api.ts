/**
 * The console's one door to the server. Components never call fetch: sign-in goes through the session
 * endpoints, everything else through `call()`, which the server hands to invoke() as the signed-in user.
 */
export type SessionState = 'anonymous' | 'mfa' | 'password-change' | 'active';

export interface Identity {
  kind: 'root' | 'user' | 'assumed-role';
  accountId: string;
  accountAlias: string | null;
  arn: string;
  userName: string | null;
  displayName: string;
  mfaAuthenticated: boolean;
}

export interface SessionView {
  state: SessionState;
  csrfToken: string;
  identity: Identity | null;
  rememberedAccount: string | null;
}

/** An error as the server sent it: AWS's code, AWS's message, the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken = '';
const listeners = new Set<(session: SessionView) => void>();

async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown, retried = false): Promise<T> {
  const response = await fetch(`/console/api${path}`, {
    method,
    credentials: 'same-origin',
    headers: method === 'POST' ? { 'content-type': 'application/json', 'x-csrf-token': csrfToken } : {},
    body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
  });
  const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    // The session changed elsewhere (another tab signed in or out): take the current one, and try once more.
    if (!retried && response.status === 403 && data.code === 'InvalidCsrfToken') {
      await sessionRequest('/session');
      return request<T>(method, path, body, true);
    }
    // Signed out or expired: the session listeners take the console back to the sign-in page.
    if (response.status === 401 && data.code === 'NotSignedIn') void sessionRequest('/session');
    throw new ApiError(
      response.status,
      typeof data.code === 'string' ? data.code : 'InternalFailure',
      typeof data.message === 'string' ? data.message : response.statusText,
    );
  }
  return data as T;
}

async function sessionRequest(path: string, body?: unknown): Promise<SessionView> {
  const session = await request<SessionView>(path === '/session' ? 'GET' : 'POST', path, body);
  csrfToken = session.csrfToken;
  for (const listener of listeners) listener(session);
  return session;
}

export const consoleApi = {
  onSession(listener: (session: SessionView) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  session: () => sessionRequest('/session'),
  signUp: (input: { email: string; password: string; accountName: string }) => sessionRequest('/signup', input),
  signInRoot: (input: { email: string; password: string }) => sessionRequest('/signin/root', input),
  signInIam: (input: { account: string; userName: string; password: string }) => sessionRequest('/signin/iam', input),
  submitMfa: (code: string) => sessionRequest('/signin/mfa', { code }),
  changePassword: (input: { oldPassword: string; newPassword: string }) => sessionRequest('/change-password', input),
  signOut: () => sessionRequest('/signout'),
  forgetAccount: () => sessionRequest('/forget-account'),
  /** Runs one operation (`iam` `CreateUser`, `billing` `UpdateBillingPreferences`…) as the signed-in user. */
  call: <T = Record<string, unknown>>(service: string, operation: string, input: object = {}) =>
    request<T>('POST', '/call', { service, operation, input }),
};
