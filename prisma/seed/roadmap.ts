/** The demo club's roadmap data. Re-runnable: upserts, or skips what is already there. */
export async function seedRoadmap() {}
