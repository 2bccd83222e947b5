import { workEmailQueue } from "~/email/email.server";
import { pruneRateLimitHits } from "~/auth/rate-limit.server";
import { workForumDigest } from "~/forum/digest.server";
import { log } from "~/log.server";
import { workNotificationFanouts } from "~/notifications/notify.server";
import { workPlaybooks } from "~/playbooks/worker.server";
import { syncVoterStandings } from "~/roadmap/standing.server";
import { workTelegram } from "~/telegram/worker.server";

/**
 * Background work, run in the web process by default (COTERIE_WORKER=0 turns it off,
 * for web-only instances when separate workers run `npm run worker`).
 * Each area that needs a worker adds it here.
 */
export async function startWorkers() {
  await workEmailQueue();
  await workForumDigest();
  await workNotificationFanouts();
  await workTelegram();
  await workPlaybooks();
  const prune = setInterval(() => pruneRateLimitHits().catch(() => {}), 60 * 60 * 1000);
  prune.unref();
  // Roadmap: votes of members who lost (or regained) a voting tier leave (or rejoin) the weighted totals.
  const standings = setInterval(() => syncVoterStandings().catch((error: Error) => log.warn("roadmap standings", { error: error.message })), 60 * 1000);
  standings.unref();
  log.info("workers started");
}
