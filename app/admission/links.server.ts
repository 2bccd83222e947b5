import { env } from "~/env.server";

/** An absolute link into the portal, for emails. */
export function absoluteUrl(path: string): string {
  return new URL(path, env().APP_URL).toString();
}

export const links = {
  applicationVerify: (token: string) => absoluteUrl(`/apply/verify/${token}`),
  applicationStatus: (token: string) => absoluteUrl(`/apply/status/${token}`),
  invite: (token: string) => absoluteUrl(`/invite/${token}`),
  vouchedApply: (token: string) => absoluteUrl(`/apply?vouch=${token}`),
  passwordReset: (token: string) => absoluteUrl(`/reset-password/${token}`),
  forgotPassword: () => absoluteUrl("/forgot-password"),
  emailVerification: (token: string) => absoluteUrl(`/verify-email/${token}`),
};
