import { createContext, useContext } from "react";

// The id of the request that rendered this page (the X-Request-Id header, the request log's
// `reqId`). A 500 page shows it so a user can quote it and an operator can find the log line.
// On the server the entry provides it; in the browser it is read back from the page's meta tag.
const RequestIdContext = createContext<string>("");
export const RequestIdProvider = RequestIdContext.Provider;

export function useRequestId(): string {
  const fromServer = useContext(RequestIdContext);
  if (fromServer || typeof document === "undefined") return fromServer;
  // Hydrating an error page: the server wrote the id into the page (its section or the meta tag).
  return (
    document.querySelector("[data-request-id]")?.getAttribute("data-request-id") ??
    document.querySelector<HTMLMetaElement>('meta[name="request-id"]')?.content ??
    ""
  );
}
