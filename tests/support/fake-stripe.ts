/**
 * A Stripe-compatible HTTP server on loopback, for tests. The real `stripe` SDK talks to it
 * through its host/port/protocol options, so everything from the SDK's request encoding to
 * our error handling is exercised. It implements the endpoints Coterie calls (customers,
 * checkout sessions, billing portal sessions, subscriptions, prices), keeps Stripe's
 * idempotency semantics (same key and parameters → the saved response, replayed), records
 * every request with its idempotency key, and can be switched to answer 500 or to hang.
 *
 * It also plays Stripe's side of the story: completing a checkout, changing or ending a
 * subscription, paying or failing an invoice, each returning the events Stripe would send,
 * which `signed()` turns into a webhook body and Stripe-Signature header.
 */
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import Stripe from "stripe";

type Json = Record<string, unknown>;

export type RecordedRequest = { method: string; path: string; idempotencyKey: string | null; body: Json };

/** How the server misbehaves. "hang-after" does the work and saves it under the key, then never answers. */
export type Outage = { mode: "500" | "hang" | "hang-after"; path?: RegExp };

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;
const now = () => Math.floor(Date.now() / 1000);

/** Decodes Stripe's form encoding (metadata[userId]=…, line_items[0][price]=…) into objects and arrays. */
export function decodeForm(body: string): Json {
  const root: Json = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const parts = rawKey.replace(/\]/g, "").split("[");
    let node: Record<string, unknown> | unknown[] = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const key: string | number = Array.isArray(node) ? Number(part) : part;
      const container = node as Record<string | number, unknown>;
      if (last) {
        container[key] = value;
        return;
      }
      if (container[key] === undefined) container[key] = /^\d+$/.test(parts[i + 1]) ? [] : {};
      node = container[key] as Record<string, unknown> | unknown[];
    });
  }
  return root;
}

function addInterval(seconds: number, interval: "month" | "year"): number {
  const date = new Date(seconds * 1000);
  if (interval === "year") date.setUTCFullYear(date.getUTCFullYear() + 1);
  else date.setUTCMonth(date.getUTCMonth() + 1);
  return Math.floor(date.getTime() / 1000);
}

export type FakePrice = { id: string; unit_amount: number | null; currency: string; interval: "month" | "year"; active?: boolean };

export async function startFakeStripe({ secretKey = "sk_test_fake_coterie", webhookSecret = "whsec_fake_coterie" } = {}) {
  const requests: RecordedRequest[] = [];
  const customers = new Map<string, Json>();
  const sessions = new Map<string, Json>();
  const portalSessions = new Map<string, Json>();
  const subscriptions = new Map<string, Json>();
  const invoices = new Map<string, Json>();
  const prices = new Map<string, Json>();
  const idempotent = new Map<string, { fingerprint: string; status: number; body: Json }>();
  const sockets = new Set<Socket>();
  let outage: Outage | null = null;
  let base = "";

  const error = (status: number, type: string, message: string, code?: string) => ({
    status,
    body: { error: { type, message, ...(code ? { code } : {}) } },
  });
  const missing = (what: string, value: string) => error(404, "invalid_request_error", `No such ${what}: '${value}'`, "resource_missing");

  function priceObject(price: FakePrice): Json {
    return {
      id: price.id,
      object: "price",
      active: price.active ?? true,
      currency: price.currency,
      unit_amount: price.unit_amount,
      type: "recurring",
      product: `prod_${price.id}`,
      recurring: { interval: price.interval, interval_count: 1, usage_type: "licensed" },
      livemode: false,
    };
  }

  function route(method: string, path: string, body: Json): { status: number; body: Json } {
    let m: RegExpMatchArray | null;
    if (method === "POST" && path === "/v1/customers") {
      const customer = { id: id("cus"), object: "customer", created: now(), email: body.email ?? null, name: body.name ?? null, metadata: body.metadata ?? {}, livemode: false };
      customers.set(customer.id, customer);
      return { status: 200, body: customer };
    }
    if (method === "GET" && (m = path.match(/^\/v1\/customers\/([^/]+)$/))) {
      const customer = customers.get(m[1]);
      return customer ? { status: 200, body: customer } : missing("customer", m[1]);
    }
    if (method === "GET" && (m = path.match(/^\/v1\/prices\/([^/]+)$/))) {
      const price = prices.get(m[1]);
      return price ? { status: 200, body: price } : missing("price", m[1]);
    }
    if (method === "POST" && path === "/v1/checkout/sessions") {
      if (body.mode !== "subscription") return error(400, "invalid_request_error", "Only subscription mode is implemented here.");
      if (typeof body.customer === "string" && !customers.has(body.customer)) return missing("customer", body.customer);
      const items = (body.line_items as Array<{ price: string; quantity: string }> | undefined) ?? [];
      if (!items.length) return error(400, "invalid_request_error", "Missing required param: line_items.");
      for (const item of items) if (!prices.has(item.price)) return missing("price", item.price);
      if (!body.success_url || !body.cancel_url) return error(400, "invalid_request_error", "Missing success_url or cancel_url.");
      const session = {
        id: id("cs_test"),
        object: "checkout.session",
        mode: "subscription",
        status: "open",
        payment_status: "unpaid",
        customer: body.customer ?? null,
        client_reference_id: body.client_reference_id ?? null,
        metadata: body.metadata ?? {},
        subscription: null,
        success_url: body.success_url,
        cancel_url: body.cancel_url,
        locale: body.locale ?? null,
        created: now(),
        livemode: false,
        url: "",
        // Kept for completing the session; real Stripe exposes these through other endpoints.
        _lineItems: items,
        _subscriptionMetadata: (body.subscription_data as Json | undefined)?.metadata ?? {},
      };
      session.url = `${base}/c/pay/${session.id}`;
      sessions.set(session.id, session);
      return { status: 200, body: publicSession(session) };
    }
    if (method === "GET" && path === "/v1/checkout/sessions") {
      const found = [...sessions.values()]
        .filter((session) => (!body.customer || session.customer === body.customer) && (!body.status || session.status === body.status))
        .sort((a, b) => Number(b.created) - Number(a.created))
        .slice(0, Number(body.limit ?? 10))
        .map(publicSession);
      return { status: 200, body: { object: "list", url: "/v1/checkout/sessions", has_more: false, data: found } };
    }
    if (method === "POST" && (m = path.match(/^\/v1\/checkout\/sessions\/([^/]+)\/expire$/))) {
      const session = sessions.get(m[1]);
      if (!session) return missing("checkout.session", m[1]);
      if (session.status !== "open") {
        return error(400, "invalid_request_error", `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`);
      }
      session.status = "expired";
      return { status: 200, body: publicSession(session) };
    }
    if (method === "GET" && (m = path.match(/^\/v1\/checkout\/sessions\/([^/]+)$/))) {
      const session = sessions.get(m[1]);
      return session ? { status: 200, body: publicSession(session) } : missing("checkout.session", m[1]);
    }
    if (method === "POST" && path === "/v1/billing_portal/sessions") {
      const customer = body.customer as string | undefined;
      if (!customer) return error(400, "invalid_request_error", "Missing required param: customer.");
      if (!customers.has(customer)) return missing("customer", customer);
      const session = { id: id("bps"), object: "billing_portal.session", customer, return_url: body.return_url ?? null, created: now(), livemode: false, url: "" };
      session.url = `${base}/p/session/${session.id}`;
      portalSessions.set(session.id, session);
      return { status: 200, body: session };
    }
    if (method === "GET" && path === "/v1/subscriptions") {
      // Stripe's default list leaves out canceled subscriptions; status=all includes them.
      const found = [...subscriptions.values()]
        .filter((sub) => (!body.customer || sub.customer === body.customer))
        .filter((sub) => (body.status === "all" ? true : body.status ? sub.status === body.status : sub.status !== "canceled"))
        .slice(0, Number(body.limit ?? 10));
      return { status: 200, body: { object: "list", url: "/v1/subscriptions", has_more: false, data: found } };
    }
    if ((m = path.match(/^\/v1\/subscriptions\/([^/]+)$/))) {
      const subscription = subscriptions.get(m[1]);
      if (!subscription) return missing("subscription", m[1]);
      if (method === "GET") return { status: 200, body: subscription };
      if (method === "POST") {
        if (body.cancel_at_period_end !== undefined) subscription.cancel_at_period_end = body.cancel_at_period_end === "true";
        return { status: 200, body: subscription };
      }
      if (method === "DELETE") {
        Object.assign(subscription, { status: "canceled", ended_at: now(), canceled_at: now() });
        return { status: 200, body: subscription };
      }
    }
    return error(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);
  }

  function publicSession(session: Json): Json {
    const { _lineItems: _items, _subscriptionMetadata: _meta, ...rest } = session;
    return rest;
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://fake");
      const method = req.method ?? "GET";
      const path = url.pathname;
      const body = method === "GET" ? decodeForm(url.searchParams.toString()) : decodeForm(raw);
      const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
      requests.push({ method, path, idempotencyKey: key, body });
      const send = (status: number, payload: Json, replayed = false) => {
        res.writeHead(status, {
          "Content-Type": "application/json",
          "Request-Id": id("req"),
          ...(key ? { "Idempotency-Key": key } : {}),
          ...(replayed ? { "Idempotent-Replayed": "true" } : {}),
        });
        res.end(JSON.stringify(payload));
      };
      if (req.headers.authorization !== `Bearer ${secretKey}`) {
        send(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided." } });
        return;
      }
      const broken = outage && (!outage.path || outage.path.test(path)) ? outage : null;
      if (broken?.mode === "500") {
        send(500, { error: { type: "api_error", message: "Stripe is having a bad day (fake outage)." } });
        return;
      }
      if (broken?.mode === "hang") return; // never answers; the client's timeout fires
      const fingerprint = createHash("sha256").update(`${method} ${path} ${raw}`).digest("hex");
      if (key && method === "POST") {
        const saved = idempotent.get(key);
        if (saved) {
          if (saved.fingerprint !== fingerprint) {
            send(400, {
              error: { type: "idempotency_error", message: "Keys for idempotent requests can only be used with the same parameters they were first used with." },
            });
            return;
          }
          if (!broken) send(saved.status, saved.body, true);
          return;
        }
      }
      const result = route(method, path, body);
      if (key && method === "POST") idempotent.set(key, { fingerprint, ...result });
      if (broken?.mode === "hang-after") return; // the work is done, the answer never arrives
      send(result.status, result.body);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;

  function event(type: string, object: Json, created = now()): Stripe.Event {
    return {
      id: id("evt"),
      object: "event",
      api_version: Stripe.API_VERSION,
      created,
      type,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object: structuredClone(object) },
    } as unknown as Stripe.Event;
  }

  function invoiceFor(
    subscription: Json,
    { paid, created = now(), reason = "subscription_cycle" }: { paid: boolean; created?: number; reason?: string },
  ): Json {
    const item = (subscription.items as { data: Array<Json & { price: Json }> }).data[0];
    const amount = (item.price.unit_amount as number) * Number(item.quantity ?? 1);
    const invoice = {
      id: id("in"),
      object: "invoice",
      customer: subscription.customer,
      currency: item.price.currency,
      amount_due: amount,
      amount_paid: paid ? amount : 0,
      amount_remaining: paid ? 0 : amount,
      attempt_count: 1,
      status: paid ? "paid" : "open",
      billing_reason: reason,
      created,
      period_start: item.current_period_start,
      period_end: item.current_period_start,
      status_transitions: { paid_at: paid ? created : null, finalized_at: created },
      parent: {
        type: "subscription_details",
        quote_details: null,
        subscription_details: { subscription: subscription.id, metadata: subscription.metadata },
      },
      lines: {
        object: "list",
        has_more: false,
        data: [
          {
            id: id("il"),
            object: "line_item",
            amount,
            currency: item.price.currency,
            period: { start: item.current_period_start, end: item.current_period_end },
            pricing: { type: "price_details", price_details: { price: item.price.id, product: item.price.product } },
          },
        ],
      },
      livemode: false,
    };
    invoices.set(invoice.id, invoice);
    return invoice;
  }

  return {
    url: base,
    port,
    secretKey,
    webhookSecret,
    requests,
    customers,
    sessions,
    portalSessions,
    subscriptions,
    invoices,
    /** Makes Stripe misbehave until `restore()`. */
    breakdown(next: Outage) {
      outage = next;
    },
    restore() {
      outage = null;
    },
    addPrice(price: FakePrice) {
      prices.set(price.id, priceObject(price));
    },
    requestsTo(pathPattern: RegExp) {
      return requests.filter((r) => pathPattern.test(r.path));
    },
    event,

    /** The customer pays: the subscription starts, the session completes, the first invoice is paid. */
    completeCheckout(sessionId: string, { created = now() } = {}) {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`No checkout session ${sessionId}`);
      // Stripe's page refuses to take payment for a session that is no longer open.
      if (session.status !== "open") throw new Error(`Checkout session ${sessionId} is ${session.status}`);
      const items = session._lineItems as Array<{ price: string; quantity: string }>;
      const price = prices.get(items[0].price)!;
      const interval = (price.recurring as { interval: "month" | "year" }).interval;
      const subscription: Json = {
        id: id("sub"),
        object: "subscription",
        customer: session.customer,
        status: "active",
        currency: price.currency,
        start_date: created,
        created,
        cancel_at_period_end: false,
        cancel_at: null,
        canceled_at: null,
        ended_at: null,
        metadata: session._subscriptionMetadata,
        livemode: false,
        items: {
          object: "list",
          has_more: false,
          data: [
            {
              id: id("si"),
              object: "subscription_item",
              quantity: Number(items[0].quantity ?? 1),
              price,
              current_period_start: created,
              current_period_end: addInterval(created, interval),
            },
          ],
        },
      };
      subscriptions.set(subscription.id as string, subscription);
      Object.assign(session, { status: "complete", payment_status: "paid", subscription: subscription.id });
      // Stripe bills a new subscription's first period with billing_reason "subscription_create".
      const invoice = invoiceFor(subscription, { paid: true, created, reason: "subscription_create" });
      return {
        subscription,
        created: event("customer.subscription.created", subscription, created),
        completed: event("checkout.session.completed", publicSession(session), created),
        paid: event("invoice.paid", invoice, created),
      };
    },

    /** Changes a subscription as Stripe would (portal, dunning…) and returns the event announcing it. */
    changeSubscription(
      subscriptionId: string,
      changes: { status?: string; cancelAtPeriodEnd?: boolean; priceId?: string; renew?: boolean },
      { created = now(), type = "customer.subscription.updated" }: { created?: number; type?: string } = {},
    ) {
      const subscription = subscriptions.get(subscriptionId);
      if (!subscription) throw new Error(`No subscription ${subscriptionId}`);
      const item = (subscription.items as { data: Json[] }).data[0];
      if (changes.status) subscription.status = changes.status;
      if (changes.status === "canceled") Object.assign(subscription, { ended_at: created, canceled_at: created });
      if (changes.cancelAtPeriodEnd !== undefined) {
        subscription.cancel_at_period_end = changes.cancelAtPeriodEnd;
        subscription.cancel_at = changes.cancelAtPeriodEnd ? item.current_period_end : null;
      }
      if (changes.priceId) item.price = prices.get(changes.priceId);
      if (changes.renew) {
        const interval = ((item.price as Json).recurring as { interval: "month" | "year" }).interval;
        item.current_period_start = item.current_period_end;
        item.current_period_end = addInterval(item.current_period_end as number, interval);
      }
      return event(type, subscription, created);
    },

    /** An invoice for the subscription's current period, paid or failed. */
    invoiceEvent(subscriptionId: string, outcome: "paid" | "failed", { created = now() } = {}) {
      const subscription = subscriptions.get(subscriptionId);
      if (!subscription) throw new Error(`No subscription ${subscriptionId}`);
      const invoice = invoiceFor(subscription, { paid: outcome === "paid", created });
      return event(outcome === "paid" ? "invoice.paid" : "invoice.payment_failed", invoice, created);
    },

    /** A webhook delivery: the exact body and the Stripe-Signature header for it. */
    signed(evt: Stripe.Event | string, { secret = webhookSecret, timestamp = now() }: { secret?: string; timestamp?: number } = {}) {
      const payload = typeof evt === "string" ? evt : JSON.stringify(evt, null, 2);
      const header = Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
      return { payload, header };
    },

    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeStripe = Awaited<ReturnType<typeof startFakeStripe>>;
