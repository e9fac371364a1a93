/**
 * The clock decides only which versions exist (retention), never a name or an input.
 * `ROTATION_NOW` pins it for plans ("what will be pruned next Monday?") and for tests.
 */
import { versionIdProblem, versionIdToDate } from "./versionId";

/** The environment variable that overrides the current time. */
export const CLOCK_ENV = "ROTATION_NOW";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The time to use: `override` (a version-style timestamp `YYYYMMDDHHMMSS` in UTC, or an ISO
 * date such as `2025-08-01` or `2025-08-01T12:00:00Z`) when given, else `systemNow`.
 * Throws when the override is neither.
 */
export function resolveNow(
  override: string | undefined,
  systemNow: Date,
  source: string = CLOCK_ENV,
): Date {
  const text = override?.trim();
  if (!text) return systemNow;
  const named = source.startsWith("--") ? `${source} ${text}` : `${source}=${text}`;
  if (/^\d{14}$/.test(text)) {
    // The only rule of a version id that does not apply here is "not in the future".
    const problem = versionIdProblem(text, new Date(8.64e15));
    if (problem) throw new Error(`${named}: ${problem}`);
    return versionIdToDate(text);
  }
  const m = ISO_DATE.exec(text);
  // A time without a zone means UTC, like every version id (never the machine's zone).
  const iso = !m ? "" : !m[1] ? `${text}T00:00:00Z` : m[4] ? text : `${text}Z`;
  const parsed = m ? Date.parse(iso.replace(" ", "T")) : NaN;
  if (Number.isNaN(parsed)) {
    throw new Error(
      `${named}: not a time; use a version-style UTC timestamp (20250801120000) or an ISO date (2025-08-01 or 2025-08-01T12:00:00Z)`,
    );
  }
  // Date.parse rolls 2026-02-30 over to March 2: the calendar date must be the one written.
  const [year, month, day] = text.slice(0, 10).split("-").map(Number);
  if (!m![4]) {
    const d = new Date(parsed);
    if (d.getUTCFullYear() !== year || d.getUTCMonth() + 1 !== month || d.getUTCDate() !== day) {
      throw new Error(
        `${named}: ${text.slice(0, 10)} is not a real date (a month has 28 to 31 days)`,
      );
    }
  } else if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > new Date(Date.UTC(year, month, 0)).getUTCDate()
  ) {
    throw new Error(
      `${named}: ${text.slice(0, 10)} is not a real date (a month has 28 to 31 days)`,
    );
  }
  return new Date(parsed);
}
