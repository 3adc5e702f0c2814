import { Transform } from "node:stream";

/**
 * React 18's streaming renderer flushes its whole 2 KB buffer when a multi-byte character does
 * not fit at its end, so a few NUL bytes can appear in the page (facebook/react#26228, fixed
 * only in React 19). HTML never contains NUL, so they are dropped on the way out.
 */
export function withoutNulBytes(options: { autoDestroy?: boolean } = {}): Transform {
  return new Transform({
    ...options,
    transform(chunk: Buffer, _encoding, callback) {
      if (chunk.indexOf(0) === -1) return callback(null, chunk);
      const kept = Buffer.allocUnsafe(chunk.length);
      let length = 0;
      for (const byte of chunk) if (byte !== 0) kept[length++] = byte;
      callback(null, kept.subarray(0, length));
    },
  });
}
