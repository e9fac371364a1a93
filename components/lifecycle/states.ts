/**
 * The version state table (README, "Version states"): which versions of a secret exist and
 * why. Pure: no Pulumi import, no clock of its own (the caller passes `now`).
 */
import { compareVersionIds, versionIdToDate } from "./versionId";

/** Every state a version can be in; all but `expired` keep the version's resources. */
export type VersionState =
  "active" | "canary" | "pending" | "previous" | "pinned" | "retained" | "expired";

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionPolicy {
  /** Every listed version id (any order, no duplicates). */
  versions: readonly string[];
  /** The version workloads use; must be one of `versions`. */
  active: string;
  /** Versions that are never pruned. Default: none. */
  keep?: readonly string[];
  /** The version a canary rollout is testing. Default: none. */
  canary?: string;
  /** Days a superseded version stays after its successor was created. */
  retentionDays: number;
  /** The time the decision is made for. */
  now: Date;
}

export interface VersionStatus {
  version: string;
  state: VersionState;
  /** The version's creation time (its id). */
  createdAt: Date;
  /** When the next newer version was created; absent for the newest version. */
  supersededAt?: Date;
  /**
   * For versions older than `previous` that are not pinned: when the version's successor is
   * as old as the retention age. In the future for `retained`, in the past for `expired`.
   */
  expiresAt?: Date;
}

/**
 * The state of every version, oldest first. The first matching row of the table wins:
 * active, canary, pending, previous, pinned, retained, expired.
 */
export function classifyVersions(policy: RetentionPolicy): VersionStatus[] {
  const sorted = [...policy.versions].sort(compareVersionIds);
  const { active, canary } = policy;
  const keep = new Set(policy.keep ?? []);
  const previous = sorted.filter((v) => v < active).pop();
  const retentionMs = policy.retentionDays * DAY_MS;

  return sorted.map((version, i): VersionStatus => {
    const createdAt = versionIdToDate(version);
    const successor = sorted[i + 1];
    const supersededAt = successor === undefined ? undefined : versionIdToDate(successor);
    const status = { version, createdAt, ...(supersededAt && { supersededAt }) };
    if (version === active) return { ...status, state: "active" };
    if (version === canary) return { ...status, state: "canary" };
    if (version > active) return { ...status, state: "pending" };
    if (version === previous) return { ...status, state: "previous" };
    if (keep.has(version)) return { ...status, state: "pinned" };
    // Older than previous, so it has a successor.
    const expiresAt = new Date(supersededAt!.getTime() + retentionMs);
    const state = policy.now.getTime() < expiresAt.getTime() ? "retained" : "expired";
    return { ...status, state, expiresAt };
  });
}

/** Whether a version in this state keeps its resources. */
export function isLive(state: VersionState): boolean {
  return state !== "expired";
}
