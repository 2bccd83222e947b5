import { useEffect, type FormEvent } from "react";

/**
 * Unsent posts kept in the browser (localStorage), so a reply typed and left behind, or one
 * refused by the posting limit, is still there when the member comes back. Progressive
 * enhancement: without JavaScript there is no draft, and the server's reply refills the form.
 * The key names the member, so someone else signing in on the same browser sees nothing.
 */
const PREFIX = "coterie:forum-draft:";

type Draft = Record<string, string>;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function draftFields(form: HTMLFormElement) {
  return [...form.elements].filter(
    (element): element is HTMLTextAreaElement | HTMLInputElement =>
      (element instanceof HTMLTextAreaElement || (element instanceof HTMLInputElement && element.type === "text")) && element.name !== "",
  );
}

function keep(key: string, form: HTMLFormElement) {
  const fields = draftFields(form);
  const draft: Draft = Object.fromEntries(fields.map((field) => [field.name, field.value]));
  try {
    if (fields.some((field) => field.value.trim() !== "")) storage()?.setItem(PREFIX + key, JSON.stringify(draft));
    else storage()?.removeItem(PREFIX + key);
  } catch {
    // A full or refused storage keeps no draft; the form itself still works.
  }
}

function read(key: string): Draft | null {
  try {
    const saved = storage()?.getItem(PREFIX + key);
    return saved ? (JSON.parse(saved) as Draft) : null;
  } catch {
    return null;
  }
}

/**
 * Keeps the form's text fields as a draft under `key`. Spread the returned handlers on the
 * form; `onSubmit` wraps the form's own handler (Conform's) and forgets the draft only when the
 * form really goes out. A refusal from the server (`lastResult`) stores the text again.
 */
export function usePostDraft(
  key: string,
  formId: string,
  lastResult: unknown,
  onSubmit?: (event: FormEvent<HTMLFormElement>) => void,
) {
  useEffect(() => {
    const form = document.getElementById(formId);
    const draft = read(key);
    if (!(form instanceof HTMLFormElement) || !draft) return;
    for (const field of draftFields(form)) {
      const value = draft[field.name];
      if (typeof value === "string" && field.value === "") field.value = value;
    }
  }, [key, formId]);

  useEffect(() => {
    const form = document.getElementById(formId);
    if (lastResult && form instanceof HTMLFormElement) keep(key, form);
  }, [key, formId, lastResult]);

  return {
    onInput: (event: FormEvent<HTMLFormElement>) => keep(key, event.currentTarget),
    onSubmit: (event: FormEvent<HTMLFormElement>) => {
      onSubmit?.(event);
      if (event.defaultPrevented) return;
      try {
        storage()?.removeItem(PREFIX + key);
      } catch {
        // Nothing kept, nothing to forget.
      }
    },
  };
}
