/** Builds the Request a browser would send, for calling loaders and actions directly. */
export const ORIGIN = "http://localhost:3000";

export function appRequest(
  path: string,
  {
    method = "GET",
    form,
    cookie,
    headers = {},
    ip = "203.0.113.7",
  }: {
    method?: string;
    form?: Record<string, string | string[]>;
    cookie?: string;
    headers?: Record<string, string>;
    ip?: string;
  } = {},
): Request {
  const init: RequestInit = { method, headers: { "X-Coterie-Client-Ip": ip, ...headers } };
  const h = init.headers as Record<string, string>;
  if (cookie) h.Cookie = cookie;
  if (form) {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    }
    init.body = body;
    init.method = method === "GET" ? "POST" : method;
    h["Content-Type"] = "application/x-www-form-urlencoded";
    h.Origin = ORIGIN;
  }
  return new Request(`${ORIGIN}${path}`, init);
}

/** Runs a loader or action and returns what it threw or returned, as a Response when it is one. */
export async function settle<T>(promise: Promise<T>): Promise<T | Response> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

/** The argument a loader or action receives. */
export function routeArgs(request: Request, params: Record<string, string> = {}) {
  return { request, params, context: {} };
}
