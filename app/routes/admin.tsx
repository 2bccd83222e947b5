import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { requireStaff } from "~/auth/guards.server";

/** Every /admin page is for curators and owners; child routes narrow further where needed. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  return null;
}

export default function AdminLayout() {
  return <Outlet />;
}
