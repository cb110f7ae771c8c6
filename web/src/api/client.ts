// The console's only way to the server: JSON over fetch with the session cookie. Errors carry
// the server's VIGIL_ERR_* code, so screens branch on codes, never on message text.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details?: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Dispatched on window when an API call answers 401 outside sign-in. */
export const sessionExpiredEvent = 'vigil:session-expired';

type Query = Record<string, string | number | undefined>;

function url(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function request<T>(method: string, path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
  const response = await fetch(url(path, options.query), {
    method,
    credentials: 'same-origin',
    headers:
      options.body === undefined
        ? { accept: 'application/json' }
        : { accept: 'application/json', 'content-type': 'application/json' },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let payload: unknown;
  try {
    payload = text ? JSON.parse(text) : undefined;
  } catch {
    payload = { message: text };
  }
  if (!response.ok) {
    const error = (payload ?? {}) as {
      code?: string;
      message?: string;
      error?: { code?: string; message?: string; details?: unknown };
      details?: unknown;
    };
    const code = error.error?.code ?? error.code ?? `HTTP_${response.status}`;
    // A session that expired (or was revoked) sends the user back to the sign-in form.
    if (response.status === 401 && path !== '/api/v1/session') window.dispatchEvent(new Event(sessionExpiredEvent));
    const message = error.error?.message ?? error.message ?? response.statusText;
    throw new ApiError(response.status, code, message, error.error?.details ?? error.details);
  }
  return payload as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
