import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { badRequest, forbidden, notFound, readForm, requireStaff } from "~/auth/guards.server";
import { getClubSettings } from "~/club.server";
import { formatDateTime, metaTranslator, useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { closePlaybookRun, editorChoices, latestRuns, playbookFormValue, readPlaybook, setPlaybookPaused, submitPlaybook } from "~/playbooks/editor.server";
import { playbookOutcome } from "~/playbooks/outcomes.server";
import { PlaybookForm } from "~/playbooks/playbook-form";
import { ControlGroup, RunStats, TriggerWords } from "~/playbooks/views";
import { MemberName, memberName } from "~/ui/member-name";

export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction<typeof loader> = ({ data: page, matches }) => [{ title: page?.playbook.name ?? metaTranslator(matches).t("playbooks.title") }];

/** One playbook: its form (read-only for curators), pause, the control group's figures and the latest runs. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request);
  const playbook = await readPlaybook(params.playbookId ?? "");
  if (!playbook) throw notFound();
  const [choices, outcome, runs, club] = await Promise.all([editorChoices(), playbookOutcome(playbook.id), latestRuns(playbook.id), getClubSettings({ maxAgeMs: 60_000 })]);
  return {
    playbook: { id: playbook.id, name: playbook.name, trigger: playbook.trigger, triggerDays: playbook.triggerDays, version: playbook.version, pausedAt: playbook.pausedAt?.toISOString() ?? null },
    formValue: playbookFormValue(playbook),
    choices,
    outcome,
    runs,
    timeZone: club.timeZone,
    isOwner: user.role === "OWNER",
  };
}

type ActionResult = {
  result: SubmissionResult<string[]> | null;
  confirm: number | null;
  saved: { version: number; newVersion: boolean } | null;
  notice: MessageKey | null;
};

const nothing: ActionResult = { result: null, confirm: null, saved: null, notice: null };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireStaff(request);
  const id = params.playbookId ?? "";
  const form = await readForm(request);
  const intent = form.get("intent");
  // Staff close a member's run; everything else here is the owner's.
  if (intent === "close") {
    const runId = form.get("runId");
    if (typeof runId !== "string" || !runId) throw badRequest();
    const closed = await closePlaybookRun(user.id, id, runId);
    return data<ActionResult>({ ...nothing, notice: closed ? "playbooks.runs.closed" : "playbooks.runs.alreadyClosed" });
  }
  if (user.role !== "OWNER") throw forbidden();
  if (intent === "pause" || intent === "resume") {
    if (!(await readPlaybook(id))) throw notFound();
    await setPlaybookPaused(user.id, id, intent === "pause");
    return data<ActionResult>({ ...nothing, notice: intent === "pause" ? "playbooks.paused" : "playbooks.resumed" });
  }
  if (intent !== "save") throw badRequest();
  const outcome = await submitPlaybook(user.id, id, form);
  return data<ActionResult>({ result: outcome.result, confirm: outcome.confirm, saved: outcome.saved, notice: null }, { status: outcome.status });
}

export default function PlaybookPage() {
  const { playbook, formValue, choices, outcome, runs, timeZone, isOwner } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [search] = useSearchParams();
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  const created = search.get("saved") === "1" && !actionData;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link to="/admin/playbooks">{t("playbooks.back")}</Link>
      </p>
      <h1>{playbook.name}</h1>
      <p className="text-slate-700">
        <TriggerWords trigger={playbook.trigger} days={playbook.triggerDays} /> · {t(playbook.pausedAt ? "playbooks.status.paused" : "playbooks.status.running")}
        {playbook.pausedAt ? ` · ${t("playbooks.pausedSince", { date: formatDateTime(locale, playbook.pausedAt, timeZone) })}` : null}
      </p>
      {actionData?.notice ? (
        <p role="status" className="text-green-800">
          {t(actionData.notice)}
        </p>
      ) : null}
      {actionData?.saved || created ? (
        <p role="status" className="text-green-800">
          {actionData?.saved?.newVersion ? t("playbooks.form.savedNewVersion", { version: actionData.saved.version }) : t("playbooks.form.saved")}
        </p>
      ) : null}
      {isOwner ? (
        <Form method="post">
          <input type="hidden" name="intent" value={playbook.pausedAt ? "resume" : "pause"} />
          <button type="submit" className="btn" disabled={navigation.state === "submitting"}>
            {t(playbook.pausedAt ? "playbooks.resume" : "playbooks.pause")}
          </button>
        </Form>
      ) : (
        <p className="text-slate-700">{t("playbooks.readOnly")}</p>
      )}

      {outcome ? (
        <div className="grid gap-6 lg:grid-cols-2">
          <ControlGroup control={outcome.control} />
          <RunStats stats={outcome} />
        </div>
      ) : null}

      <section className="max-w-3xl space-y-3" aria-labelledby="settings-title">
        <h2 id="settings-title">{t("playbooks.settings")}</h2>
        <p className="help">{t("playbooks.version", { version: playbook.version })}</p>
        <PlaybookForm
          key={playbook.id}
          defaultValue={formValue}
          lastResult={actionData?.result}
          choices={choices}
          confirmMembers={actionData?.confirm ?? null}
          canEdit={isOwner}
        />
      </section>

      <section className="space-y-3" aria-labelledby="runs-title">
        <h2 id="runs-title">{t("playbooks.runs.title")}</h2>
        {runs.length === 0 ? (
          <p>{t("playbooks.runs.empty")}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left" data-testid="playbook-runs">
              <thead>
                <tr>
                  <th scope="col">{t("playbooks.runs.member")}</th>
                  <th scope="col">{t("playbooks.runs.entered")}</th>
                  <th scope="col">{t("playbooks.runs.step")}</th>
                  <th scope="col">{t("playbooks.runs.exit")}</th>
                  <th scope="col">
                    <span className="sr-only">{t("playbooks.runs.close")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {runs.map((run) => (
                  <tr key={run.id} className="border-t border-slate-200">
                    <td className="py-2 pr-4">
                      {run.userId ? (
                        <Link to={`/admin/members/${run.userId}`}>
                          <MemberName name={run.memberName} />
                        </Link>
                      ) : run.applicationId ? (
                        <Link to={`/admin/applications/${run.applicationId}`}>{t("playbooks.runs.applicant", { name: memberName(run.memberName, t) })}</Link>
                      ) : null}
                    </td>
                    <td className="py-2 pr-4">
                      <time dateTime={run.enteredAt}>{formatDateTime(locale, run.enteredAt, timeZone)}</time>
                    </td>
                    <td className="py-2 pr-4">{run.heldOut ? t("playbooks.runs.heldOut") : t("playbooks.runs.stepOf", { step: Math.min(run.nextStep, run.steps), steps: run.steps })}</td>
                    <td className="py-2 pr-4">{run.exitReason ? t(`playbooks.exit.${run.exitReason}` as MessageKey) : t("playbooks.runs.open")}</td>
                    <td className="py-2">
                      {run.exitedAt ? null : (
                        <Form method="post">
                          <input type="hidden" name="intent" value="close" />
                          <input type="hidden" name="runId" value={run.id} />
                          <button type="submit" className="btn" aria-label={t("playbooks.runs.closeLabel", { name: memberName(run.memberName, t) })}>
                            {t("playbooks.runs.close")}
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
