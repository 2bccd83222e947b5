/**
 * A worker process for the job queue (email delivery, digests, …), for deployments
 * that run web instances with COTERIE_WORKER=0 and workers separately.
 *   DATABASE_URL=… npm run worker
 */
import { startWorkers } from "../app/jobs/workers.server";
import { stopQueue } from "../app/jobs/queue.server";

await startWorkers();
process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: "info", msg: "worker running" })}\n`);

async function stop() {
  await stopQueue();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
