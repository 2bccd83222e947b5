import { computeDashboard, type Dashboard, type DashboardRequest } from "./dashboard.server";
import { SECTIONS } from "./sections";

/**
 * Computed dashboards, shared by the page (/admin/metrics), the JSON and the CSV exports.
 *
 * A dashboard costs a few hundred milliseconds of PostgreSQL time at ten thousand members
 * (docs/performance.md), and staff ask for the same one again and again: the page, then its
 * CSV tables, a script polling the JSON. So a computed dashboard is kept for DASHBOARD_TTL_MS
 * (60 s) from the instant it was computed at, and requests for the same
 * (period, time zone, sections, cohort tier) wait for the computation in flight instead of
 * starting their own (single flight). The page says "figures as of HH:MM" and the JSON carries
 * `computedAt`, so nobody mistakes a minute-old figure for a live one.
 *
 * The key holds the sections: a curator's dashboard (engagement, at risk) is a different entry
 * from an owner's, so owner-only figures are never handed to a curator. At most
 * DASHBOARD_CACHE_ENTRIES entries are kept (least recently used goes first); a failed
 * computation is not kept, the next request tries again. Entries are per process.
 */
export const DASHBOARD_TTL_MS = 60_000;
export const DASHBOARD_CACHE_ENTRIES = 100;

export type CachedDashboard = Dashboard & {
  /** When these figures were computed (the instant they are "as of"); at most DASHBOARD_TTL_MS ago when served. */
  computedAt: string;
};

export type DashboardKey = Omit<DashboardRequest, "now">;

type Entry = { computedAt: number; promise: Promise<CachedDashboard>; settled: boolean };

type Options = {
  ttlMs?: number;
  maxEntries?: number;
  compute?: (request: DashboardRequest) => Promise<Dashboard>;
  clock?: () => number;
};

export class DashboardCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly compute: (request: DashboardRequest) => Promise<Dashboard>;
  private readonly clock: () => number;
  /** Computations started (for tests and logs): a hit or a wait for one in flight does not count. */
  computations = 0;

  constructor({ ttlMs = DASHBOARD_TTL_MS, maxEntries = DASHBOARD_CACHE_ENTRIES, compute = computeDashboard, clock = Date.now }: Options = {}) {
    this.ttlMs = ttlMs;
    this.maxEntries = maxEntries;
    this.compute = compute;
    this.clock = clock;
  }

  /** The dashboard for this request: kept, in flight, or computed now. Treat it as read-only: it is shared. */
  get(request: DashboardKey): Promise<CachedDashboard> {
    // Sections in their canonical order, so "nps,revenue" and "revenue,nps" are one entry.
    const sections = SECTIONS.filter((s) => request.sections.includes(s));
    // Routes' dashboards compare with the previous period unless they say otherwise.
    const compare = request.compare ?? true;
    const key = JSON.stringify([request.from, request.to, request.timeZone, sections, request.cohortTierId ?? null, compare]);
    const now = this.clock();
    const found = this.entries.get(key);
    if (found) {
      this.entries.delete(key);
      if (!found.settled || now - found.computedAt < this.ttlMs) {
        this.entries.set(key, found); // most recently used last
        return found.promise;
      }
    }
    const entry: Entry = { computedAt: now, settled: false, promise: Promise.resolve(null as never) };
    this.computations += 1;
    entry.promise = this.compute({ ...request, sections, compare, now: new Date(now) }).then(
      (dashboard) => {
        entry.settled = true;
        return { ...dashboard, computedAt: dashboard.generatedAt };
      },
      (error: unknown) => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
        throw error;
      },
    );
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return entry.promise;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

const serialized = new WeakMap<CachedDashboard, string>();

/** The dashboard as JSON text, serialized once per computed dashboard and then reused. */
export function dashboardJson(dashboard: CachedDashboard): string {
  let json = serialized.get(dashboard);
  if (json === undefined) serialized.set(dashboard, (json = JSON.stringify(dashboard)));
  return json;
}

/** The process's cache, used by the dashboard's routes. */
export const dashboards = new DashboardCache();
