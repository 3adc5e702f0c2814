import { useNavigate } from "@remix-run/react";
import { useCallback, type MouseEvent } from "react";

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
