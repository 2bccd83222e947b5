/// <reference types="vite/client" />
/**
 * Bodies that are not forms: every action of the app, posted JSON, plain text or a broken
 * multipart body by the club's owner (who passes every role check), answers with a status
 * below 500 — 415 or 400 from readForm where the action reads a form — and never throws.
 */
import "../billing/without-stripe-keys";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureClubSettings, ensureTiers } from "../factories";
import { outcome } from "../admission/support";
import { routeArgs } from "../support/requests";
import { person, type Person } from "./support";

type Action = (args: ReturnType<typeof routeArgs>) => Promise<unknown>;
const modules = import.meta.glob<{ action?: Action }>("../../app/routes/*.{ts,tsx}", { eager: true });

const ORIGIN = "http://localhost:3000";
const bodies = [
  { name: "JSON", type: "application/json", body: JSON.stringify({ intent: "save", role: "OWNER" }) },
  { name: "plain text", type: "text/plain", body: "intent=save" },
  { name: "a broken multipart body", type: "multipart/form-data; boundary=x", body: "--x\r\nnot a part" },
  { name: "no Content-Type", type: null, body: "intent=save" },
];

/** `/forum/t/$threadId` with every parameter filled in, and the parameters. */
function pathOf(file: string) {
  const route = file.replace(/^.*\/routes\//, "").replace(/\.tsx?$/, "");
  const params: Record<string, string> = {};
  const path = route
    .split(".")
    .filter((part) => part !== "_index")
    .map((part) => part.replace(/_$/, "").replace(/^\[(.*)\]$/, "$1"))
    .map((part) => (part.startsWith("$") ? (params[part.slice(1)] = "no-such-id") : part))
    .join("/");
  return { path: `/${path}`, params };
}

let owner: Person;
beforeAll(async () => {
  await ensureTiers();
  await ensureClubSettings();
  owner = await person({ role: "OWNER" });
});

const actions = Object.entries(modules).filter(([, module]) => typeof module.action === "function");

describe("a body that is not a form", () => {
  it("finds the app's actions", () => {
    expect(actions.length).toBeGreaterThan(30);
  });

  for (const [file, module] of actions) {
    const { path, params } = pathOf(file);
    it(`${path}: answered below 500 for every kind of body`, async () => {
      for (const { name, type, body } of bodies) {
        const headers: Record<string, string> = { Cookie: owner.cookie, Origin: ORIGIN, "X-Coterie-Client-Ip": "203.0.113.9" };
        if (type) headers["Content-Type"] = type;
        const request = new Request(`${ORIGIN}${path}`, { method: "POST", headers, body });
        const answer = await outcome(module.action!(routeArgs(request, params)));
        expect(answer.status, `${name} to ${path}`).toBeLessThan(500);
      }
    });
  }
});
