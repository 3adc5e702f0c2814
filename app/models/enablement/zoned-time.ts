// Wall-clock time in a named time zone ↔ instant, with Intl only (no time-zone library).
//
// Making an Intl.DateTimeFormat costs ~100 µs (a list of 500 sessions spent 70 ms on it), using
// one ~5 µs: the formats are made once per time zone and kept (a few dozen zones at most).

const formats = new Map<string, Intl.DateTimeFormat>();

function format(kind: "offset" | "wall", timeZone: string): Intl.DateTimeFormat {
  const key = `${kind}|${timeZone}`;
  let made = formats.get(key);
  if (!made) {
    made =
      kind === "offset"
        ? new Intl.DateTimeFormat("en-US", {
            timeZone,
            hourCycle: "h23",
            year: "numeric",
            month: "2-digit",
            day: "2-digit",
            hour: "2-digit",
            minute: "2-digit",
            second: "2-digit",
          })
        : new Intl.DateTimeFormat("en-CA", {
            timeZone,
            hourCycle: "h23",
            year: "numeric",
            month: "2-digit",
            day: "2-digit",
            hour: "2-digit",
            minute: "2-digit",
          });
    // An unknown zone throws above and is never kept.
    formats.set(key, made);
  }
  return made;
}

function offsetMs(instant: number, timeZone: string): number {
  const parts = format("offset", timeZone).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant of `day` 'YYYY-MM-DD' at `time` 'HH:MM' on the wall clocks of `timeZone`. */
export function zonedToInstant(day: string, time: string, timeZone: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let instant = wall - offsetMs(wall, timeZone);
  // Once more near a daylight-saving change: the offset at the instant itself.
  instant = wall - offsetMs(instant, timeZone);
  return new Date(instant);
}

/** The wall-clock day and time of an instant in `timeZone`: { day: 'YYYY-MM-DD', time: 'HH:MM' }. */
export function instantToZoned(instant: Date, timeZone: string): { day: string; time: string } {
  const parts = format("wall", timeZone).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return { day: `${get("year")}-${get("month")}-${get("day")}`, time: `${get("hour")}:${get("minute")}` };
}
