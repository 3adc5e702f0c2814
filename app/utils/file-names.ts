/**
 * An uploaded file's name fit to store and show: the browser's word, so control characters
 * (PostgreSQL refuses NUL in text) and bidirectional overrides (a name that reads backwards)
 * are removed; at most 200 characters; "upload.csv" when nothing is left.
 */
export function cleanFileName(name: string, fallback = "upload.csv"): string {
  return (
    [
      ...[...name]
        .filter((c) => c >= " " && c !== "\u007f" && !/[\u202a-\u202e\u2066-\u2069]/.test(c))
        .join("")
        .trim(),
    ]
      // Cut by code points, never inside an emoji.
      .slice(0, 200)
      .join("") || fallback
  );
}
