import fs from "node:fs";
import path from "node:path";

// Renders HTML to PDF in headless Chromium (Debian's package, driven by playwright-core; no
// browser is ever downloaded). One rendering at a time: a PDF takes a Chromium process and most
// of a core for about a second, and the app shares a small machine. Pages are numbered in the
// footer. When Chromium or playwright-core is missing, `renderPdf` answers null and the page
// offers the browser's own "Print → Save as PDF" (the print stylesheet gives the same layout).

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"];

let queue: Promise<unknown> = Promise.resolve();

/** The app's stylesheets, inlined into a standalone document (read once). */
let styles: string | null = null;
export function inlineStyles(): string {
  styles ??= ["app.css", "reports.css"]
    .map((file) => fs.readFileSync(path.join(process.cwd(), "public", "styles", file), "utf8"))
    .join("\n");
  return styles;
}

export const FOOTER_TEMPLATE =
  '<div style="font-size:8px;width:100%;text-align:center;color:#444;font-family:sans-serif">Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>';

async function render(html: string, title: string): Promise<Buffer | null> {
  if (!fs.existsSync(CHROMIUM_PATH)) return null;
  let chromium: typeof import("playwright-core").chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch {
    return null;
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS, timeout: 30_000 });
  try {
    const page = await browser.newPage();
    // No network: everything the document needs is inline.
    await page.route("**/*", (route) => route.abort());
    await page.setContent(html, { waitUntil: "load" });
    await page.emulateMedia({ media: "print" });
    const pdf = await page.pdf({
      format: "A4",
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: `<div style="font-size:8px;width:100%;text-align:center;color:#444;font-family:sans-serif">${title.replace(/[<>&"]/g, "")}</div>`,
      footerTemplate: FOOTER_TEMPLATE,
      margin: { top: "14mm", bottom: "16mm", left: "12mm", right: "12mm" },
      preferCSSPageSize: false,
    });
    return pdf;
  } finally {
    await browser.close();
  }
}

/** The PDF of a standalone HTML document, or null when Chromium is not available. */
export function renderPdf(html: string, title: string): Promise<Buffer | null> {
  const run = queue.then(() => render(html, title));
  queue = run.catch(() => undefined);
  return run;
}
