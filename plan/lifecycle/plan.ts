/**
 * What the program declares for one secret and reports about it: the state table applied to
 * a secret's config and to what the previous update remembered, with the names of both
 * stores. Pure, so the outputs, the offline plan and the tests all read the same decision.
 */
import type { Delivery } from "../../config/contract/delivery";
import { type SecretMemory, type VersionHistory, advanceHistory } from "./memory";
import { awsSecretName, kubernetesSecretName } from "../../core/names";
import { VersionState, type VersionStatus, classifyVersions, isLive } from "./states";
import { compareVersionIds } from "../../core/versionId";
import { type Overdue, type OverdueDecision, overdueOf, rememberedActivation } from "./maxAge";

export interface SecretPlanInput {
  name: string;
  environment: string;
  /** False in dev: one unversioned copy of the active version. */
  versioned: boolean;
  active: string;
  /** Every listed version id. */
  versions: readonly string[];
  keep?: readonly string[];
  /** The canary rollout, when one runs: its version stays, whatever its age. */
  canary?: { version: string; percent: number };
  /** Every key a version holds (names only): staging exports them for the promotion gate. */
  keys?: readonly string[];
  retentionDays: number;
  /** Days the active version may run before it is overdue (maxAge.ts); absent: off. */
  maxAgeDays?: number;
  now: Date;
  /** What the previous update reported of this secret; undefined on its first update. */
  memory?: SecretMemory;
  /**
   * How a version not yet declared reaches the cluster. A version the previous update declared
   * keeps its own (remembered; `direct` when the memory predates delivery modes), so changing
   * the mode never deletes and re-creates the Secret of a version workloads may run. Dev has
   * one Secret, updated in place: it switches. Default: `direct`.
   */
  delivery?: Delivery;
  /**
   * The reference guard's holds: per version, what still uses it (`Deployment ns/name`, an AWS
   * read) or why the guard could not tell. A version that would expire is kept as
   * `referenced`. Default: none.
   */
  held?: Readonly<Record<string, readonly string[]>>;
  /** Versions whose AWS secret the preflight's AWS read did not list live; undefined when not read. */
  goneFromAws?: ReadonlySet<string>;
}

/** One version as the `secrets` stack output reports it: the program's memory too. */
export interface VersionReport extends VersionHistory {
  version: string;
  state: VersionState;
  /** How it reaches the cluster: a Secret the program writes, or an ExternalSecret. */
  delivery: Delivery;
  kubernetesName: string;
  awsName: string;
  /** ISO time: when a retained version expires (or when an expired one did). */
  expiresAt?: string;
  /** For `referenced`: what still uses it, or why the guard could not look. */
  referencedBy?: string[];
  /** For the active version: it has run longer than `maxAgeDays` (maxAge.ts). */
  overdue?: Overdue;
}

export interface SecretPlan {
  name: string;
  /** How new versions reach the cluster (the configured mode). */
  delivery: Delivery;
  activeVersion: string;
  /** The Kubernetes Secret workloads reference. */
  activeName: string;
  /** The rollback target: the newest declared version older than active. */
  previousVersion?: string;
  /** The canary rollout, when one runs. */
  canary?: { version: string; percent: number; kubernetesName: string };
  /** Every key a version holds, sorted (names only, never values). */
  keys: string[];
  /**
   * Every version, oldest first: the listed ones, and those an earlier update pruned that the
   * config no longer lists (remembered, so they are never declared again).
   */
  versions: VersionReport[];
  /** The versions whose resources are declared, oldest first. */
  declared: string[];
  /** Listed versions this update prunes (not declared): config can drop them. */
  expired: VersionReport[];
  /** Versions that would expire but the reference guard keeps. */
  referenced: VersionReport[];
  /** Listed versions an earlier update pruned: config should drop them. */
  pruned: VersionReport[];
  /** Versions the last update declared that the config no longer lists: deleted now. */
  removed: string[];
  /** The active version, when it is overdue, and what its age counts from (the log says). */
  overdue?: OverdueDecision;
}

/** The active version's overdue mark (maxAge.ts), counted from the memory's activation. */
function activeOverdue(input: SecretPlanInput) {
  return overdueOf({
    active: input.active,
    ...(input.maxAgeDays !== undefined && { maxAgeDays: input.maxAgeDays }),
    ...(input.versioned && {
      activatedAt: rememberedActivation(input.memory, input.active, input.now),
    }),
    now: input.now,
  });
}

/**
 * A version's delivery: what memory says it was declared with, else the configured mode. A
 * live version remembered without one was written before delivery modes, so `direct`.
 * Unversioned (dev): always the configured.
 */
export function versionDelivery(
  version: string,
  input: Pick<SecretPlanInput, "memory" | "delivery" | "versioned">,
): Delivery {
  const configured = input.delivery ?? "direct";
  if (!input.versioned) return configured;
  const remembered = input.memory?.versions[version];
  if (!remembered) return configured;
  return remembered.delivery ?? (remembered.prunedAt === undefined ? "direct" : configured);
}

/** The history carried forward to this update, and the state of every listed version. */
function decideStates(input: SecretPlanInput): {
  history: Record<string, VersionHistory>;
  statuses: VersionStatus[];
} {
  const history = advanceHistory(input.memory, input.active, input.now);
  const statuses = classifyVersions({
    ...input,
    canary: input.canary?.version,
    ...(input.memory && { history }),
    held: new Set(Object.keys(input.held ?? {})),
  });
  return { history, statuses };
}

/** Versions the last update declared that the config no longer lists: this update deletes them. */
function removedVersions(
  history: Readonly<Record<string, VersionHistory>>,
  listed: readonly string[],
): string[] {
  return Object.keys(history).filter(
    (v) => !listed.includes(v) && history[v].prunedAt === undefined,
  );
}

/**
 * The versions this update would prune before any hold of the reference guard, in the order
 * the plan lists them: the listed versions that expire, then those removed from the config.
 * This is what the guard asks the cluster about, decided by the same state table as
 * `planSecret`, without planning: the preflight reads before the one plan of the update.
 */
export function prunable(input: SecretPlanInput): { expired: string[]; removed: string[] } {
  if (!input.versioned) return { expired: [], removed: [] };
  const { held: _held, ...unheld } = input;
  void _held;
  const { history, statuses } = decideStates(unheld);
  return {
    expired: statuses.filter((s) => s.state === "expired").map((s) => s.version),
    removed: removedVersions(history, input.versions),
  };
}

export function planSecret(input: SecretPlanInput): SecretPlan {
  const nameOf = (version: string) => (input.versioned ? version : undefined);
  const report = (version: string, state: VersionState, h: VersionHistory = {}): VersionReport => ({
    version,
    state,
    kubernetesName: kubernetesSecretName(input.name, nameOf(version)),
    awsName: awsSecretName(input.environment, input.name, nameOf(version)),
    ...h,
    delivery: versionDelivery(version, input),
  });
  const delivery = input.delivery ?? "direct";
  const overdue = activeOverdue(input);
  const mark = (version: string) => {
    if (!overdue || version !== input.active) return {};
    const { since, ageDays, maxAgeDays, dueAt } = overdue;
    return { overdue: { since, ageDays, maxAgeDays, dueAt } };
  };

  if (!input.versioned) {
    // Dev keeps no history: only the active version exists, unversioned and updated in place.
    return {
      name: input.name,
      delivery,
      activeVersion: input.active,
      activeName: kubernetesSecretName(input.name),
      keys: [...(input.keys ?? [])].sort(),
      versions: [{ ...report(input.active, "active"), ...mark(input.active) }],
      declared: [input.active],
      expired: [],
      referenced: [],
      pruned: [],
      removed: [],
      ...(overdue && { overdue }),
    };
  }

  const at = input.now.toISOString();
  const { history, statuses } = decideStates(input);
  const listed = statuses.map((s): VersionReport => {
    const h: VersionHistory = { ...history[s.version] };
    // This update stops declaring an expired version: remember that it is gone for good.
    if (s.state === "expired") h.prunedAt = at;
    return {
      ...report(s.version, s.state, h),
      ...(s.expiresAt && { expiresAt: s.expiresAt.toISOString() }),
      ...(s.state === "referenced" && { referencedBy: [...(input.held?.[s.version] ?? [])] }),
      ...mark(s.version),
    };
  });
  // Versions the config no longer lists: pruned before, or removed from config since the last
  // update (no longer declared, so this update deletes them): either way gone for good.
  const unlisted = Object.keys(history).filter((v) => !input.versions.includes(v));
  const removed = removedVersions(history, input.versions);
  const forgotten = unlisted.map((v) =>
    report(v, "pruned", { ...history[v], ...(removed.includes(v) && { prunedAt: at }) }),
  );
  const versions = [...listed, ...forgotten].sort((a, b) =>
    compareVersionIds(a.version, b.version),
  );
  const previous = statuses.filter((s) => s.version < input.active && isLive(s.state)).pop();
  return {
    name: input.name,
    delivery,
    activeVersion: input.active,
    activeName: kubernetesSecretName(input.name, input.active),
    ...(previous && { previousVersion: previous.version }),
    ...(input.canary && {
      canary: {
        ...input.canary,
        kubernetesName: kubernetesSecretName(input.name, input.canary.version),
      },
    }),
    keys: [...(input.keys ?? [])].sort(),
    versions,
    declared: statuses.filter((s) => isLive(s.state)).map((s) => s.version),
    expired: listed.filter((v) => v.state === "expired"),
    referenced: listed.filter((v) => v.state === "referenced"),
    pruned: listed.filter((v) => v.state === "pruned"),
    removed,
    ...(overdue && { overdue }),
  };
}

/** The versions of a plan that are declared, with how each reaches the cluster. */
export function declaredDeliveries(plan: SecretPlan): VersionReport[] {
  const declared = new Set(plan.declared);
  return plan.versions.filter((v) => declared.has(v.version));
}
