/**
 * Version ids: a UTC timestamp `YYYYMMDDHHMMSS`. The id is both the version's name (it is
 * part of every resource name) and its creation time (it drives retention), so it has to be
 * a real date-time. Pure functions, no Pulumi import.
 */

const VERSION_ID = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/** How far in the future a version id may be: clocks drift, a plan is written ahead. */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

/**
 * Turns what YAML gave (a string, or a number for an unquoted id) into the id's text form.
 * Returns undefined for anything that cannot be an id (objects, fractions, negatives).
 */
export function normalizeVersionId(raw: unknown): string | undefined {
  if (typeof raw === "string") return raw;
  if (typeof raw === "number" && Number.isSafeInteger(raw) && raw >= 0) return String(raw);
  return undefined;
}

/**
 * Why `id` is not a valid version id at time `now`, or undefined when it is. The text says
 * what is allowed, for use in config errors.
 */
export function versionIdProblem(id: string, now: Date): string | undefined {
  const m = VERSION_ID.exec(id);
  if (!m) return "a version id is a UTC timestamp YYYYMMDDHHMMSS (14 digits)";
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const real =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  if (!real || year < 1970) {
    return "not a real UTC date-time (YYYYMMDDHHMMSS: month 01-12, a day the month has, hour 00-23, minute and second 00-59)";
  }
  if (date.getTime() - now.getTime() > MAX_FUTURE_SKEW_MS) {
    return `in the future: it is after ${formatVersionId(new Date(now.getTime() + MAX_FUTURE_SKEW_MS))} (now is ${formatVersionId(now)}, at most 5 minutes ahead is allowed)`;
  }
  return undefined;
}

/** The creation time of a version id that passed `versionIdProblem`. */
export function versionIdToDate(id: string): Date {
  const m = VERSION_ID.exec(id);
  if (!m) throw new Error(`not a version id: ${id}`);
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

/** The version id for a time (UTC, whole seconds). */
export function formatVersionId(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/** Version ids sort by time because they are fixed-width digits. */
export function compareVersionIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
