import net from "node:net";
import { DEMO, expect, test } from "../e2e/fixtures";

const origin = () => test.info().project.use.baseURL!;

test.describe("security headers", () => {
  test("every page sends CSP with a nonce, nosniff, a referrer policy and frame-ancestors", async ({ request }) => {
    for (const path of ["/", "/login", "/healthz", "/ping"]) {
      const response = await request.get(path);
      const headers = response.headers();
      expect(headers["content-security-policy"], path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
      expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
      expect(headers["content-security-policy"], path).toContain("object-src 'none'");
      expect(headers["x-content-type-options"], path).toBe("nosniff");
      expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
      expect(headers["x-request-id"], path).toBeTruthy();
      expect(headers["x-powered-by"], path).toBeUndefined();
    }
  });

  test("inline scripts carry the page's nonce", async ({ request }) => {
    const response = await request.get("/");
    const nonce = /'nonce-([^']+)'/.exec(response.headers()["content-security-policy"])![1];
    const html = await response.text();
    const scripts = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes] of scripts) expect(attributes).toContain(`nonce="${nonce}"`);
  });
});

test.describe("cross-origin writes", () => {
  for (const path of ["/login", "/logout", "/language", "/account"]) {
    test(`POST ${path} from another origin gets 403`, async ({ request }) => {
      const response = await request.post(path, { headers: { Origin: "https://evil.example" }, form: { a: "b" }, maxRedirects: 0 });
      expect(response.status()).toBe(403);
    });
  }

  test("Sec-Fetch-Site: cross-site without Origin gets 403", async ({ request }) => {
    const response = await request.post("/logout", { headers: { "Sec-Fetch-Site": "cross-site" }, maxRedirects: 0 });
    expect(response.status()).toBe(403);
  });
});

test("a body over 1 MB gets 413", async ({ request }) => {
  const response = await request.post("/login", {
    headers: { Origin: origin(), "Content-Type": "application/x-www-form-urlencoded" },
    data: `email=a%40b.c&password=${"x".repeat(1024 * 1024 + 10)}`,
    maxRedirects: 0,
  });
  expect(response.status()).toBe(413);
});

test("a NUL (%00) anywhere in the address gets 400, never a 500", async ({ request }) => {
  for (const path of ["/forum/t/%00", "/forum/p/%00", "/forum/x%00", "/roadmap/%00", "/members/%00", "/forum?q=a%00b", "/admin/members?q=%00"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(400);
    expect(await response.text(), path).toContain("Request not understood");
  }
});

test("redirectTo never leaves the site", async ({ request }) => {
  for (const target of ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]) {
    const response = await request.post(`/login?redirectTo=${encodeURIComponent(target)}`, {
      headers: { Origin: origin(), "X-Forwarded-For": `198.51.100.${Math.floor(Math.random() * 200) + 20}` },
      form: { email: DEMO.curator.email, password: DEMO.curator.password, redirectTo: target },
      maxRedirects: 0,
    });
    expect(response.status(), target).toBe(302);
    const location = response.headers()["location"];
    expect(location.startsWith("/") && !location.startsWith("//") && !location.startsWith("/\\"), `${target} -> ${location}`).toBe(true);
  }
});

test("session fixation: signing in issues a new session token, and an attacker's cookie is not reused", async ({ request, sql }) => {
  const planted = "a".repeat(32);
  const response = await request.post("/login", {
    headers: {
      Origin: origin(),
      Cookie: `coterie_session=${Buffer.from(JSON.stringify(planted)).toString("base64")}`,
      "X-Forwarded-For": "198.51.100.240",
    },
    form: { email: DEMO.curator.email, password: DEMO.curator.password },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(302);
  const setCookie = response.headers()["set-cookie"];
  const issued = JSON.parse(Buffer.from(decodeURIComponent(/coterie_session=([^;]+)/.exec(setCookie)![1]), "base64").toString());
  expect(issued).not.toBe(planted);
  expect(issued).toMatch(/^[a-z2-7]{32}$/);
  const rows = await sql(`SELECT count(*)::int AS n FROM "Session" WHERE id = encode(sha256($1::bytea), 'hex')`, [planted]);
  expect(rows[0].n).toBe(0);
});

test("a client that sends headers too slowly is cut off (slowloris)", async () => {
  const port = Number(new URL(origin()).port);
  const started = Date.now();
  const closedAfter = await new Promise<number>((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.write("GET / HTTP/1.1\r\nHost: localhost\r\n");
      const drip = setInterval(() => socket.writable && socket.write("X-Slow: 1\r\n"), 1_000);
      socket.on("close", () => {
        clearInterval(drip);
        resolve(Date.now() - started);
      });
    });
    socket.on("error", () => {});
    setTimeout(() => reject(new Error("the server kept a slow client for 25 s")), 25_000);
  });
  expect(closedAfter).toBeLessThan(15_000);
});

test.describe("private pages are kept by no cache", () => {
  test("signed-in pages, their data requests and /account, /billing, /admin send Cache-Control: private, no-store", async ({ page, loginAs }) => {
    await loginAs(DEMO.owner.email);
    for (const path of ["/", "/forum", "/roadmap", "/account", "/billing", "/admin", "/admin/members", "/account.data", "/forum.data"]) {
      const response = await page.request.get(path, { maxRedirects: 0 });
      expect(response.status(), path).toBeLessThan(400);
      expect(response.headers()["cache-control"], path).toBe("private, no-store");
    }
  });

  test("/account, /billing and /admin send it to a visitor too (their redirect to sign-in)", async ({ request }) => {
    for (const path of ["/account", "/billing", "/admin"]) {
      const response = await request.get(path, { maxRedirects: 0 });
      expect(response.headers()["cache-control"], path).toBe("private, no-store");
    }
    // Static files keep their own caching for everyone.
    const home = await request.get("/");
    const script = /"(\/build\/[^"]+\.js)"/.exec(await home.text())![1];
    expect((await request.get(script)).headers()["cache-control"]).toContain("immutable");
  });
});
