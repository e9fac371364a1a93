/**
 * The program's memory: what its own previous update exported. Pulumi keeps no history a
 * program can query, but a stack can read its own last outputs through a StackReference
 * (the engine answers with the root stack resource's outputs from the latest checkpoint:
 * pkg/backend/backend.go GetStackOutputs, pkg/backend/diy/state.go getSnapshotStackOutputs;
 * empty on a stack's first update). Pure: it parses that output defensively (it may come from
 * another release of this program, or from a file offline) and carries history forward.
 */
import { dict } from "../../core/dict";
import type { Delivery } from "../../config/contract/delivery";
import { readSecrets } from "./stored";

/** What the program remembers of one version, as ISO times. */
export interface VersionHistory {
  /** When it last became the active version. */
  activatedAt?: string;
  /**
   * When it first became the active version, kept across later activations (a rollback
   * re-activates a version: the staging gate counts its soak from this one). Absent in the
   * outputs of releases before it: there `activatedAt` is the earliest activation known.
   */
  firstActivatedAt?: string;
  /** When it last stopped being the active version. */
  supersededAt?: string;
  /** When an update stopped declaring it, so that its resources were deleted. */
  prunedAt?: string;
  /**
   * How it reaches the cluster, fixed when it is first declared. Absent in the outputs of
   * releases before delivery modes: those wrote every version directly.
   */
  delivery?: Delivery;
}

/** One secret as the previous update left it. */
export interface SecretMemory {
  /** The version that was active at the previous update. */
  activeVersion?: string;
  /** The version the previous update ran as a canary, if any. */
  canaryVersion?: string;
  /** Every version the previous update reported, pruned ones included. */
  versions: Record<string, VersionHistory>;
}

/** The memory of a whole stack, by secret name. */
export type StackMemory = Record<string, SecretMemory>;

/**
 * The memory in a previous `secrets` output, or undefined when there is none (a stack's first
 * update, or the offline plan without `--previous-outputs`). A version the previous update
 * reported as `expired` (this release) or `pruned` counts as pruned; entries that cannot be
 * read are skipped, never guessed (stored.ts reads each field by its schema).
 */
export function readMemory(secretsOutput: unknown): StackMemory | undefined {
  const secrets = readSecrets(secretsOutput);
  if (!secrets) return undefined;
  const memory = dict<SecretMemory>();
  for (const [name, read] of secrets) {
    const versions = dict<VersionHistory>();
    for (const v of read.versions) {
      const gone = v.state === "expired" || v.state === "pruned";
      const history: VersionHistory = {};
      // An `expired` version was pruned by that update; older releases did not say when.
      const prunedAt =
        v.prunedAt ?? (gone ? (v.expiresAt ?? new Date(0).toISOString()) : undefined);
      if (v.activatedAt) history.activatedAt = v.activatedAt;
      if (v.firstActivatedAt) history.firstActivatedAt = v.firstActivatedAt;
      if (v.supersededAt) history.supersededAt = v.supersededAt;
      if (prunedAt) history.prunedAt = prunedAt;
      if (v.delivery) history.delivery = v.delivery;
      versions[v.version] = history;
    }
    memory[name] = {
      ...(read.activeVersion !== undefined && { activeVersion: read.activeVersion }),
      ...(read.canaryVersion !== undefined && { canaryVersion: read.canaryVersion }),
      versions,
    };
  }
  return memory;
}

/**
 * Carries the history forward to this update, before states are decided: the active version
 * is activated now unless it already was, and the version that was active at the previous
 * update is superseded now if it no longer is. Without memory, the active version counts as
 * activated now (the first update that runs it). The first activation of each version is kept
 * (`firstActivatedAt`); for memory an older release wrote without it, the remembered
 * `activatedAt` is the earliest activation known.
 */
export function advanceHistory(
  memory: SecretMemory | undefined,
  active: string,
  now: Date,
): Record<string, VersionHistory> {
  const at = now.toISOString();
  const history = dict<VersionHistory>();
  for (const [version, h] of Object.entries(memory?.versions ?? {})) {
    history[version] = {
      ...h,
      ...(h.firstActivatedAt === undefined &&
        h.activatedAt !== undefined && { firstActivatedAt: h.activatedAt }),
    };
  }
  const current = (history[active] ??= {});
  if (memory?.activeVersion !== active) {
    current.activatedAt = at;
    current.firstActivatedAt ??= at;
    delete current.supersededAt;
    const before = memory?.activeVersion;
    if (before !== undefined) (history[before] ??= {}).supersededAt = at;
  } else {
    current.activatedAt ??= at;
    current.firstActivatedAt ??= current.activatedAt;
  }
  return history;
}

/** Fingerprints of each declared version's values by secret and version (a secret output). */
export { type Fingerprints, readFingerprints } from "./stored";

/** This stack's previous outputs as the preflight read them, with the memory in them decoded once. */
export interface PreviousOutputs {
  /** The outputs as read (a record kept unchanged when this update's resources fail keeps them). */
  outputs: Readonly<Record<string, unknown>>;
  /** `readMemory` of their `secrets`. */
  memory: StackMemory | undefined;
}

/** Decodes this stack's previous outputs (their `secrets` output is the memory). */
export function readPrevious(outputs: Readonly<Record<string, unknown>>): PreviousOutputs {
  return { outputs, memory: readMemory(outputs.secrets) };
}
