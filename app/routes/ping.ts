/** Liveness: the process answers, without touching the database (see /healthz for readiness). */
export function loader() {
  return new Response("ok", { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}
