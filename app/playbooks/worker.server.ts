import { queue, QUEUES } from "~/jobs/queue.server";
import { log } from "~/log.server";
import { runPlaybooks } from "./scheduler.server";

/** Every minute: one scheduler tick. Two app instances may both run it; runPlaybooks never does a step twice. */
export const PLAYBOOKS_CRON = "* * * * *";

/** Schedules the playbook tick and works its queue (started by app/jobs/workers.server.ts). */
export async function workPlaybooks() {
  const boss = await queue();
  await boss.schedule(QUEUES.playbooks, PLAYBOOKS_CRON, {});
  await boss.work(QUEUES.playbooks, async () => {
    const figures = await runPlaybooks();
    if (figures.entered || figures.completed || figures.failed || Object.keys(figures.exited).length || figures.steps.SEND || figures.steps.TASK || figures.steps.WAIT) {
      log.info("playbooks tick", figures);
    } else {
      log.debug("playbooks tick", figures);
    }
  });
}
