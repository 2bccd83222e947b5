import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { requireStaff } from "~/auth/guards.server";

// A boundary below the root, so that an error thrown by an /admin page's action is still shown
// in the layout and the reader's language: the root's loader does not run when the root itself
// catches it.
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

/** Every /admin page is for curators and owners; child routes narrow further where needed. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  return null;
}

export default function AdminLayout() {
  return <Outlet />;
}
