import { useNavigation } from "@remix-run/react";
import type { ButtonHTMLAttributes } from "react";

/** A submit button that shows progress while its form is being sent. */
export function SubmitButton({
  children,
  pendingText,
  className = "button",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { pendingText?: string }) {
  const navigation = useNavigation();
  const pending =
    navigation.state !== "idle" &&
    navigation.formMethod !== undefined &&
    navigation.formMethod.toLowerCase() !== "get" &&
    (props.value === undefined || navigation.formData?.get(props.name ?? "") === props.value);
  return (
    <button type="submit" className={className} aria-disabled={pending || undefined} {...props}>
      {pending ? (pendingText ?? "Saving…") : children}
    </button>
  );
}
