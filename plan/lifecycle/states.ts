/**
 * The version state table (docs/concepts.md#version-states): which versions of a secret exist and
 * why. Pure: no Pulumi import, no clock of its own (the caller passes `now`).
 */
import type { VersionHistory } from "./memory";
import { compareVersionIds, versionIdToDate } from "../../core/versionId";

/** Every state a version can be in; all but `expired` and `pruned` keep the version's resources. */
export type VersionState =
  | "active"
  | "canary"
  | "pending"
  | "previous"
  | "pinned"
  | "referenced"
  | "retained"
  | "expired"
  | "pruned";

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
  /** Days a superseded version stays after it was superseded. */
  retentionDays: number;
  /** The time the decision is made for. */
  now: Date;
  /**
   * What the previous update remembered, already advanced to this update (`advanceHistory`);
   * undefined without memory (a stack's first update, or a plan without previous outputs).
   */
  history?: Readonly<Record<string, VersionHistory>>;
  /**
   * Versions the reference guard holds: something live still uses them (or the guard could
   * not look). One that would expire is `referenced` instead and kept. Default: none.
   */
  held?: ReadonlySet<string>;
  /**
   * Versions whose AWS secret the preflight's AWS read did not list live (absent, or scheduled
   * for deletion); undefined when AWS was not read. Without memory it tells whether keeping
   * the rollback target would declare again a version that is gone.
   */
  goneFromAws?: ReadonlySet<string>;
}

export interface VersionStatus {
  version: string;
  state: VersionState;
  /** The version's creation time (its id). */
  createdAt: Date;
  /**
   * When it stopped being needed as the newest: when it was last superseded as the active
   * version (memory), else when the next newer version was created. Absent for the newest.
   */
  supersededAt?: Date;
  /** For `retained` and `expired`: when the retention after `supersededAt` runs out. */
  expiresAt?: Date;
}

/**
 * The state of every version, oldest first. The first matching row wins: active, canary,
 * pruned (an earlier update deleted it: it never comes back), pending, previous, pinned,
 * retained, referenced (it would expire, but the reference guard holds it), expired.
 *
 * `previous` (the newest version older than active that is not pruned: the rollback target)
 * is kept whatever its age when the program remembers the secret's history, or while active is
 * the newest version: a version created ahead never shortens the rollback window of the one
 * before it (PRODUCT.md). Without memory and with a newer version (a secret's first update, one
 * whose first update failed so its memory was never written, or one removed from config and
 * put back), the program cannot tell a version created ahead from one rolled back from, nor
 * whether an earlier update pruned the target. It keeps the target, as the guard keeps what it
 * cannot check, unless the AWS read shows its secret gone (absent or pending deletion): then
 * keeping it would declare a pruned version again, and it follows its expiry instead.
 */
export function classifyVersions(policy: RetentionPolicy): VersionStatus[] {
  const sorted = [...policy.versions].sort(compareVersionIds);
  const { active, canary, history } = policy;
  const keep = new Set(policy.keep ?? []);
  const pruned = (v: string) => history?.[v]?.prunedAt !== undefined;
  const previous = sorted.filter((v) => v < active && !pruned(v)).pop();
  const previousKept =
    history !== undefined ||
    sorted[sorted.length - 1] === active ||
    (previous !== undefined && policy.goneFromAws?.has(previous) !== true);
  const retentionMs = policy.retentionDays * DAY_MS;

  return sorted.map((version, i): VersionStatus => {
    const createdAt = versionIdToDate(version);
    const successor = sorted[i + 1];
    const remembered = history?.[version]?.supersededAt;
    const supersededAt = remembered
      ? new Date(remembered)
      : successor === undefined
        ? undefined
        : versionIdToDate(successor);
    const status = { version, createdAt, ...(supersededAt && { supersededAt }) };
    if (version === active) return { ...status, state: "active" };
    if (version === canary) return { ...status, state: "canary" };
    if (pruned(version)) return { ...status, state: "pruned" };
    if (version > active) return { ...status, state: "pending" };
    if (version === previous && previousKept) return { ...status, state: "previous" };
    if (keep.has(version)) return { ...status, state: "pinned" };
    // Older than active, so it has a successor and `supersededAt` is set.
    const expiresAt = new Date(supersededAt!.getTime() + retentionMs);
    const live = policy.now.getTime() < expiresAt.getTime();
    const state = live
      ? version === previous
        ? "previous"
        : "retained"
      : policy.held?.has(version)
        ? "referenced"
        : "expired";
    return { ...status, state, expiresAt };
  });
}

/** Whether a version in this state keeps its resources. */
export function isLive(state: VersionState): boolean {
  return state !== "expired" && state !== "pruned";
}
