import { useT, type Translate } from "~/i18n/i18n";

/**
 * A member's name as pages show it. Erasing an account (app/privacy/erasure.server.ts) blanks
 * `User.name`, and no living account has an empty name (every form requires one), so an empty
 * name is a former member: the queries that read names stay as they are and the pages print
 * through this.
 */
export function memberName(name: string | null | undefined, t: Translate): string {
  return name ? name : t("privacy.formerMember");
}

export function MemberName({ name }: { name: string | null | undefined }) {
  const t = useT();
  return <>{memberName(name, t)}</>;
}
