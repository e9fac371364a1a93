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
export function resolveNow(override: string | undefined, systemNow: Date): Date {
  const text = override?.trim();
  if (!text) return systemNow;
  if (/^\d{14}$/.test(text)) {
    // The only rule of a version id that does not apply here is "not in the future".
    const problem = versionIdProblem(text, new Date(8.64e15));
    if (problem) throw new Error(`${CLOCK_ENV}=${text}: ${problem}`);
    return versionIdToDate(text);
  }
  const m = ISO_DATE.exec(text);
  // A time without a zone means UTC, like every version id (never the machine's zone).
  const iso = !m ? "" : !m[1] ? `${text}T00:00:00Z` : m[4] ? text : `${text}Z`;
  const parsed = m ? Date.parse(iso.replace(" ", "T")) : NaN;
  if (Number.isNaN(parsed)) {
    throw new Error(
      `${CLOCK_ENV}=${text}: not a time; use a version-style UTC timestamp (20250801120000) or an ISO date (2025-08-01 or 2025-08-01T12:00:00Z)`,
    );
  }
  return new Date(parsed);
}
