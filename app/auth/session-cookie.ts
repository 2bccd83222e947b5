/** The session cookie's name, in a module without server dependencies (scripts/serve.ts reads it too). */
export const SESSION_COOKIE = "coterie_session";
