/**
 * The few names the pack reads, copied from `core/` so that the pack is self-contained:
 * `pulumi policy publish` packs this folder alone (`npm pack` in the pack's directory: pulumi
 * v3.248.0 pkg/backend/httpstate/policypack.go Publish, l.432) and the service installs only
 * its package.json dependencies (installRequiredPolicy, l.499). tests/policyNames.test.ts
 * holds each copy equal to its original in core/names.ts and core/versionId.ts.
 */

/** The Kubernetes labels `RotatedSecret` writes (core/names.ts LABELS, in part). */
export const LABELS = {
  secret: "secret-rotation/secret",
  version: "secret-rotation/version",
} as const;

/** The AWS tags `RotatedSecret` writes (core/names.ts AWS_TAGS, in part). */
export const AWS_TAGS = {
  environment: "environment",
  retentionDays: "retention-days",
  promotedFrom: "promoted-from",
} as const;

const VERSION_ID = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/**
 * Whether `id` is a version id: `YYYYMMDDHHMMSS`, a real UTC date-time from 1970 on, any time
 * (core/versionId.ts versionIdProblem with no "in the future" limit: that is the config's
 * concern, not the name's).
 */
export function isVersionId(id: unknown): boolean {
  if (typeof id !== "string") return false;
  const m = VERSION_ID.exec(id);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return (
    year >= 1970 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}
