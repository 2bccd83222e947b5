import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { passThroughHeaders } from "~/admission/headers";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { badRequest, isStaff, readForm, requireUser } from "~/auth/guards.server";
import { AnyCodeSchema, CodeForm, TotpCodeSchema } from "~/auth/two-factor-form";
import {
  beginTwoFactorSetup,
  confirmTwoFactorSetup,
  disableTwoFactor,
  refusedCode,
  regenerateRecoveryCodes,
  twoFactorState,
} from "~/auth/two-factor.server";
import { formatDate, metaTranslator, useLocale, useT } from "~/i18n/i18n";

// Its own boundary, so that an error thrown by the action is still shown in the layout and
// the reader's language: the root's loader does not run when the root itself catches it.
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("twoFactor.account.title") }];

const PAGE = "/account/two-factor";

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireUser(request);
  const state = await twoFactorState(viewer.user);
  return {
    state,
    // Staff sent here by requireRole: the club's requirement, said on the page they land on.
    required: isStaff(viewer.user) && viewer.twoFactor.requiredOfStaff && !state.enabled,
    turnedOff: new URL(request.url).searchParams.get("off") === "1" && !state.enabled,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireUser(request);
  const formData = await readForm(request);
  const intent = formData.get("intent");
  if (intent === "begin") {
    await beginTwoFactorSetup(user.id);
    return redirect(PAGE);
  }
  if (intent !== "confirm" && intent !== "regenerate" && intent !== "disable") throw badRequest();
  const submission = parseWithZod(formData, { schema: intent === "disable" ? AnyCodeSchema : TotpCodeSchema });
  if (submission.status !== "success") {
    return data({ intent, result: submission.reply({ hideFields: ["code"] }), recoveryCodes: null as string[] | null }, { status: 400 });
  }
  const { code } = submission.value;
  if (intent === "disable") {
    const check = await disableTwoFactor(user.id, code);
    if (!check.ok) return refused(submission, check, intent);
    return redirect(`${PAGE}?off=1`);
  }
  const check = intent === "confirm" ? await confirmTwoFactorSetup(user.id, code) : await regenerateRecoveryCodes(user.id, code);
  if (!check.ok) return refused(submission, check, intent);
  // Shown once, in this response only (private, no-store like every /account page): the database keeps their hashes.
  return data({ intent, result: undefined, recoveryCodes: check.recoveryCodes ?? null });
}

function refused(submission: Parameters<typeof refusedCode>[0], check: Parameters<typeof refusedCode>[1], intent: string) {
  const { result, init } = refusedCode(submission, check);
  return data({ intent, result, recoveryCodes: null as string[] | null }, init);
}

// A refused code past the limit (429) tells the browser when to try again, on the page as in the header.
export const headers = passThroughHeaders;

export default function AccountTwoFactor() {
  const t = useT();
  const locale = useLocale();
  const { state, required, turnedOff } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const resultFor = (intent: string) => (actionData?.intent === intent ? actionData.result : undefined);

  if (actionData?.recoveryCodes) return <RecoveryCodes codes={actionData.recoveryCodes} />;

  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div>
        <p className="text-sm">
          <Link to="/account">{t("twoFactor.account.back")}</Link>
        </p>
        <h1 className="mt-2">{t("twoFactor.account.title")}</h1>
        <p className="mt-3 text-slate-700">{t("twoFactor.account.intro")}</p>
      </div>
      {required ? (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          {t("twoFactor.account.required")}
        </p>
      ) : null}
      {turnedOff ? (
        <p role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">
          {t("twoFactor.account.turnedOff")}
        </p>
      ) : null}

      {state.enabled ? (
        <>
          <section className="card" aria-labelledby="two-factor-status">
            <h2 id="two-factor-status">{t("twoFactor.account.on", { date: formatDate(locale, state.since) })}</h2>
            <p className="mt-2 text-slate-700">{t("twoFactor.account.codesLeft", { count: state.recoveryCodesLeft })}</p>
          </section>
          <section className="card" aria-labelledby="two-factor-regenerate">
            <h2 id="two-factor-regenerate">{t("twoFactor.regenerate.title")}</h2>
            <p className="mt-2 text-slate-700">{t("twoFactor.regenerate.intro")}</p>
            <CodeForm
              intent="regenerate"
              schema={TotpCodeSchema}
              lastResult={resultFor("regenerate")}
              label={t("twoFactor.code.label")}
              help={t("twoFactor.code.help")}
              submit={t("twoFactor.regenerate.submit")}
            />
          </section>
          <section className="card" aria-labelledby="two-factor-disable">
            <h2 id="two-factor-disable">{t("twoFactor.disable.title")}</h2>
            <p className="mt-2 text-slate-700">{t("twoFactor.disable.intro")}</p>
            <CodeForm
              intent="disable"
              schema={AnyCodeSchema}
              lastResult={resultFor("disable")}
              label={t("twoFactor.code.anyLabel")}
              submit={t("twoFactor.disable.submit")}
              danger
            />
          </section>
        </>
      ) : state.pending ? (
        <section className="card" aria-labelledby="two-factor-setup">
          <h2 id="two-factor-setup">{t("twoFactor.setup.title")}</h2>
          <p className="mt-2 text-slate-700">{t("twoFactor.setup.scan")}</p>
          <div
            role="img"
            aria-label={t("twoFactor.setup.qr")}
            className="mt-4 h-52 w-52 border border-stone-200 bg-white"
            // Drawn on the server from the otpauth URI, so it shows without JavaScript.
            dangerouslySetInnerHTML={{ __html: state.pending.qrSvg }}
          />
          <p className="mt-4 text-sm font-medium" id="two-factor-key-label">
            {t("twoFactor.setup.key")}
          </p>
          <p className="mt-1">
            <code data-testid="two-factor-key" className="select-all rounded bg-stone-100 px-2 py-1 font-mono text-base tracking-wider">
              {state.pending.key}
            </code>
          </p>
          <p className="help mt-1">{t("twoFactor.setup.keyHelp")}</p>
          <CodeForm
            intent="confirm"
            schema={TotpCodeSchema}
            lastResult={resultFor("confirm")}
            label={t("twoFactor.code.label")}
            help={t("twoFactor.code.help")}
            submit={t("twoFactor.setup.confirm")}
          />
          <Form method="post" className="mt-4">
            <input type="hidden" name="intent" value="begin" />
            <button type="submit" className="btn btn-secondary" disabled={navigation.state === "submitting"}>
              {t("twoFactor.setup.restart")}
            </button>
          </Form>
        </section>
      ) : (
        <section className="card" aria-labelledby="two-factor-off">
          <h2 id="two-factor-off">{t("twoFactor.account.off")}</h2>
          <Form method="post" className="mt-4">
            <input type="hidden" name="intent" value="begin" />
            <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
              {t("twoFactor.account.begin")}
            </button>
          </Form>
        </section>
      )}
    </div>
  );
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  const t = useT();
  const file = `data:text/plain;charset=utf-8,${encodeURIComponent(`${codes.join("\n")}\n`)}`;
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <h1>{t("twoFactor.codes.title")}</h1>
      <p role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">
        {t("twoFactor.codes.on")}
      </p>
      <p className="text-slate-700">{t("twoFactor.codes.intro")}</p>
      <ul aria-label={t("twoFactor.codes.list")} className="card grid grid-cols-2 gap-2 font-mono text-lg">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <p className="flex flex-wrap gap-3">
        <a href={file} download="recovery-codes.txt" className="btn btn-secondary">
          {t("twoFactor.codes.download")}
        </a>
        <Link to={PAGE} className="btn btn-primary">
          {t("twoFactor.codes.done")}
        </Link>
      </p>
    </div>
  );
}
