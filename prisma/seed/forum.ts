/** The demo club's forum data. Re-runnable: upserts, or skips what is already there. */
export async function seedForum() {}
