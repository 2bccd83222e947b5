import { z } from "zod";

/** The at-risk list's "Done" button on one curator's task. */
export const TaskDoneSchema = z.object({
  intent: z.literal("task-done"),
  taskId: z.string().min(1).max(64),
});
