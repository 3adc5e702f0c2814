import { CSV_CONTENT_TYPE, csvFileName, csvHeader, csvLines, type CsvRow } from "./csv";

// The one way CSV leaves the server: every export answers through `csvResponse` (the text rules
// — BOM, CRLF, formula neutralisation, dated file name — live in `./csv`, shared with the lists
// that export in the browser).

export { csvFileName, neutraliseCell, readBackCell, toCsv, type CsvRecord, type CsvRow, type CsvValue } from "./csv";

export function csvHeaders(name: string): HeadersInit {
  return {
    "Content-Type": CSV_CONTENT_TYPE,
    "Content-Disposition": `attachment; filename="${csvFileName(name)}"`,
    "Cache-Control": "private, no-store",
  };
}

type RowSource<C extends string> = Iterable<CsvRow<C>> | AsyncIterable<ReadonlyArray<CsvRow<C>>>;

const CHUNK_ROWS = 500;

/**
 * A CSV download named `<name>-<YYYY-MM-DD>.csv`. `rows` is an array (written in chunks of 500)
 * or an async iterable of row chunks (read lazily, e.g. by keyset pages: a large export starts at
 * once and never sits in memory; a client that goes away stops the reading).
 */
export function csvResponse<C extends string>(name: string, columns: readonly C[], rows: RowSource<C>): Response {
  const encoder = new TextEncoder();
  let iterator: Iterator<CsvRow<C>> | AsyncIterator<ReadonlyArray<CsvRow<C>>> | null = null;
  const isAsync = Symbol.asyncIterator in Object(rows);
  let headerSent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvHeader(columns)));
        return;
      }
      if (isAsync) {
        iterator ??= (rows as AsyncIterable<ReadonlyArray<CsvRow<C>>>)[Symbol.asyncIterator]();
        const next = await (iterator as AsyncIterator<ReadonlyArray<CsvRow<C>>>).next();
        if (next.done) return controller.close();
        if (next.value.length) controller.enqueue(encoder.encode(csvLines(columns, next.value)));
        return;
      }
      iterator ??= (rows as Iterable<CsvRow<C>>)[Symbol.iterator]();
      const chunk: CsvRow<C>[] = [];
      for (let i = 0; i < CHUNK_ROWS; i++) {
        const next = (iterator as Iterator<CsvRow<C>>).next();
        if (next.done) break;
        chunk.push(next.value);
      }
      if (chunk.length === 0) return controller.close();
      controller.enqueue(encoder.encode(csvLines(columns, chunk)));
    },
    async cancel() {
      await iterator?.return?.();
    },
  });
  return new Response(body, { headers: csvHeaders(name) });
}
