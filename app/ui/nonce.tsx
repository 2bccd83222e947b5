import { createContext, useContext } from "react";

/** The per-request CSP nonce, set by entry.server.tsx for <Scripts> and inline scripts. */
export const NonceContext = createContext<string | undefined>(undefined);
export const useNonce = () => useContext(NonceContext);
