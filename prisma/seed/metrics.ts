/** The demo club's metrics data. Re-runnable: upserts, or skips what is already there. */
export async function seedMetrics() {}
