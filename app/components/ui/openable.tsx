import { Link, useSearchParams } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { OPEN_FORM_PARAM, openFormAnchor } from "~/utils/open-form";

// A long form drawn on demand (ADR 0028): a link that names it in the address, or the form itself
// in a framed box with "Close". Used by the OKR pages and the health page's coach form.

/**
 * A form drawn only when the address names it (or its last post failed): otherwise a link that
 * opens it in place. "Close" goes back to the address without it.
 */
export function Openable({
  formKey,
  label,
  accessibleLabel,
  open,
  children,
}: {
  formKey: string;
  label: string;
  accessibleLabel: string;
  open: boolean;
  children: ReactNode;
}) {
  const [params] = useSearchParams();
  const anchor = openFormAnchor(formKey);
  const named = params.get(OPEN_FORM_PARAM) === formKey;
  const box = useRef<HTMLDivElement>(null);
  // Opened by its link: the keyboard continues in the form (the link it replaced is gone).
  useEffect(() => {
    if (named) box.current?.querySelector<HTMLElement>("input:not([type=hidden]), select, textarea")?.focus();
  }, [named]);
  if (!open && !named) {
    const next = new URLSearchParams(params);
    next.set(OPEN_FORM_PARAM, formKey);
    return (
      <p className="openable">
        <Link to={{ search: `?${next}`, hash: anchor }} preventScrollReset aria-label={accessibleLabel}>
          {label}
        </Link>
      </p>
    );
  }
  const rest = new URLSearchParams(params);
  rest.delete(OPEN_FORM_PARAM);
  return (
    <div className="openable openable--open" id={anchor} ref={box}>
      <p className="openable__title">
        <strong>{label}</strong>{" "}
        <Link to={{ search: rest.toString() ? `?${rest}` : "" }} preventScrollReset className="openable__close">
          Close
        </Link>
      </p>
      {children}
    </div>
  );
}
