/** The demo club's admission data. Re-runnable: upserts, or skips what is already there. */
export async function seedAdmission() {}
