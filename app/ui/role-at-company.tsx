/**
 * "Job title, Company" as a person wrote them. Each part is isolated (<bdi>), so a
 * right-to-left mark or override typed into one cannot reverse the other or the text around.
 */
export function RoleAtCompany({ jobTitle, company }: { jobTitle?: string | null; company?: string | null }) {
  const parts = [jobTitle, company].filter((part): part is string => Boolean(part));
  return (
    <>
      {parts.map((part, index) => (
        <span key={index}>
          {index > 0 ? ", " : null}
          <bdi>{part}</bdi>
        </span>
      ))}
    </>
  );
}
