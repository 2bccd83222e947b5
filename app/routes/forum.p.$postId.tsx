import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { notFound } from "~/auth/guards.server";
import { db } from "~/db.server";
import { requireForumReader } from "~/forum/access.server";
import { findReadableThread, pageOfPost } from "~/forum/threads.server";
import { withPage } from "~/forum/ui";

// Refusals render inside the layout, in the reader's language (docs/architecture.md, "Requests").
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

/** /forum/p/:postId: the post's page in its thread (links in emails, search and profiles). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const reader = await requireForumReader(request);
  const post = await db.forumPost.findUnique({
    where: { id: params.postId ?? "" },
    select: { id: true, threadId: true, createdAt: true },
  });
  if (!post) throw notFound();
  const { removed } = await findReadableThread(reader, post.threadId);
  const page = removed ? 1 : await pageOfPost(post.threadId, post);
  return redirect(`${withPage(`/forum/t/${post.threadId}`, page)}#post-${post.id}`);
}

// A page route rather than a resource route, so a 404 renders the club's error page.
export default function PostLink() {
  return null;
}
