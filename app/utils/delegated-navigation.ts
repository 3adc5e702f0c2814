import { useNavigate, useSubmit } from "@remix-run/react";
import { useCallback, type FormEvent, type MouseEvent } from "react";

/**
 * A click handler for a container of many plain links (table rows): a left click on a link to
 * another page of the app navigates in place, as a router <Link> would, without each of 50–100
 * links paying for the router's hooks while rendering. Modified clicks (new tab, download) and
 * links elsewhere keep the browser's behaviour; without JavaScript the links are plain links.
 */
export function useDelegatedNavigation() {
  const navigate = useNavigate();
  return useCallback(
    (event: MouseEvent<HTMLElement>) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return;
      const link = (event.target as HTMLElement).closest("a");
      if (
        !link ||
        !event.currentTarget.contains(link) ||
        link.target ||
        link.hasAttribute("download") ||
        link.origin !== window.location.origin
      )
        return;
      event.preventDefault();
      navigate(`${link.pathname}${link.search}${link.hash}`);
    },
    [navigate],
  );
}

/**
 * A submit handler for a container of many small plain forms (a button per table row): the form
 * a user submits goes through the router, as a <Form> would (no full page load, the page's data
 * revalidated), without each row's form paying for the router's hooks while rendering. The
 * button's name and value are sent. Without JavaScript the forms are plain forms.
 */
export function useDelegatedSubmit() {
  const submit = useSubmit();
  return useCallback(
    (event: FormEvent<HTMLElement>) => {
      const form = event.target as HTMLFormElement;
      if (event.defaultPrevented || !(form instanceof HTMLFormElement) || !event.currentTarget.contains(form)) return;
      const action = new URL(form.action, window.location.href);
      if (action.origin !== window.location.origin || form.method.toLowerCase() !== "post") return;
      event.preventDefault();
      const submitter = (event.nativeEvent as SubmitEvent).submitter;
      const options = { method: "post" as const, action: `${action.pathname}${action.search}` };
      if (submitter instanceof HTMLButtonElement || submitter instanceof HTMLInputElement) submit(submitter, options);
      else submit(form, options);
    },
    [submit],
  );
}
