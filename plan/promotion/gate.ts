/**
 * The staging-before-production gate, as a pure decision: given what the staging stack's
 * `secrets` output shows, may this stack run each of its active and canary versions? No
 * Pulumi import: the program feeds it the StackReference's value, the offline plan a file.
 */
import { type ConfigProblem, join } from "../../core/problems";
import { configKey } from "../../core/project";
import type { PromotionSpec, SecretSpec } from "../../config/types";
import { dict } from "../../core/dict";
import { type StackMemory, readMemory } from "../lifecycle/memory";
import { readSecret } from "../lifecycle/stored";

const HOUR_MS = 60 * 60 * 1000;

/** What the gate needs of one secret in staging's `secrets` output. */
export interface StagingSecret {
  activeVersion: string;
  /** Staging's canary version at its last update, when it ran a canary. */
  canaryVersion?: string;
  /** Every version staging lists (any state). */
  versions: string[];
  /** Key names; absent when staging runs a release that did not export them. */
  keys?: string[];
  /**
   * When staging first activated each version it ever activated (ISO), by version: a rollback
   * re-activates a version, and restarting its soak would block production's own rollback.
   */
  firstActivatedAt: Record<string, string>;
}

/**
 * Reads staging's `secrets` output defensively (another stack, maybe another release of this
 * program). Returns the secrets, or why the value cannot be used.
 */
export function readStagingSecrets(
  value: unknown,
): { secrets: Record<string, StagingSecret> } | { problem: string } {
  if (value === undefined || value === null) {
    return { problem: "it has no `secrets` output (has it run pulumi up with secret-rotation?)" };
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    return { problem: "its `secrets` output is not a map of secret name to secret" };
  }
  const secrets = dict<StagingSecret>();
  const memory = readMemory(value);
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    // The stored format's reader (lifecycle/stored.ts): every field by its schema.
    const s = readSecret(raw);
    if (s?.activeVersion === undefined || !s.versionsWhole) {
      return { problem: `its \`${join("secrets", name)}\` output lacks activeVersion or versions` };
    }
    const keys = s.keys && [...s.keys].sort();
    // Staging's memory, read as this stack reads its own: when it first activated each
    // version (an older release recorded only the last activation: the earliest it knows).
    const firstActivatedAt = dict<string>();
    for (const [version, history] of Object.entries(memory?.[name]?.versions ?? {})) {
      const first = history.firstActivatedAt ?? history.activatedAt;
      if (first !== undefined) firstActivatedAt[version] = first;
    }
    const canaryVersion = memory?.[name]?.canaryVersion;
    secrets[name] = {
      activeVersion: s.activeVersion,
      ...(canaryVersion !== undefined && { canaryVersion }),
      versions: s.versions.map((v) => v.version),
      ...(keys && { keys }),
      firstActivatedAt,
    };
  }
  return { secrets };
}

/** One version this stack would run and must pass the gate. */
export interface GateCandidate {
  secret: string;
  version: string;
  /** Where the config sets it: `active` or `canary.version`. */
  role: "active" | "canary";
  /** The key names this stack's versions of the secret hold, sorted. */
  keys: readonly string[];
}

/**
 * `unchecked`: the offline plan had no staging outputs, so nothing was decided. `unchanged`:
 * production already runs the version in that role (its previous update's active, or its
 * canary for a canary), so this update promotes nothing and staging is not asked. `rollback`:
 * production ran the version before and it is older than its active version at its previous
 * update; a rollback is never blocked (issue 17 §4), whatever staging ran before its memory
 * began.
 */
export type GateStatus =
  "passed" | "overridden" | "refused" | "unchecked" | "unchanged" | "rollback";

export interface GateDecision extends GateCandidate {
  status: GateStatus;
  /** Why staging does not vouch for the version (empty when it does). */
  reasons: string[];
  /** For `overridden`: the reason the override gives. */
  overrideReason?: string;
}

/** The versions a stack would run: every active version, and every canary version. */
export function gateCandidates(secrets: readonly SecretSpec<unknown>[]): GateCandidate[] {
  return secrets.flatMap((s) => [
    { secret: s.name, version: s.active, role: "active" as const, keys: s.keys },
    ...(s.canary
      ? [{ secret: s.name, version: s.canary.version, role: "canary" as const, keys: s.keys }]
      : []),
  ]);
}

const list = (items: readonly string[]): string => items.join(", ") || "none";

/** Why staging does not vouch for one version, or nothing when it does. */
function refusals(
  candidate: GateCandidate,
  staging: StagingSecret | undefined,
  stagingSecretNames: readonly string[],
  soakHours: number,
  now: Date,
): string[] {
  const { secret, version } = candidate;
  if (!staging) {
    return [`staging has no secret "${secret}" (staging has: ${list(stagingSecretNames)})`];
  }
  const reasons: string[] = [];
  const activated = staging.firstActivatedAt[version];
  if (!staging.versions.includes(version)) {
    reasons.push(
      `staging does not list version ${version} (staging lists: ${list(staging.versions)}; active ${staging.activeVersion})`,
    );
  } else if (activated === undefined) {
    // Listing is not running: a version created ahead, or one staging skipped, has served
    // no traffic there.
    reasons.push(
      `staging has never activated it (staging's active version is ${staging.activeVersion}; it activated: ${list(Object.keys(staging.firstActivatedAt).sort())})`,
    );
  }
  if (
    activated !== undefined &&
    version > staging.activeVersion &&
    version !== staging.canaryVersion
  ) {
    // Version ids are fixed-width UTC timestamps, so text order is time order. Staging
    // activated this version and then moved its active back to an older one (a rollback):
    // staging no longer runs it, so it vouches for nothing. An older version than staging's
    // active is production's own rollback target and passes (issue 17 §4).
    reasons.push(
      `staging rolled back from it: staging's active version is ${staging.activeVersion}, older, and it runs no canary of it`,
    );
  }
  if (activated !== undefined) {
    // The soak is measured from staging's first activation, not from the version's creation,
    // nor from a later re-activation (staging rolling back first, as the runbook says).
    const activatedMs = Date.parse(activated);
    const soakedAt = new Date(activatedMs + soakHours * HOUR_MS);
    if (now.getTime() < soakedAt.getTime()) {
      const ranHours = Math.floor((now.getTime() - activatedMs) / HOUR_MS);
      reasons.push(
        `staging activated it ${Math.max(ranHours, 0)} h ago (${activated}); soakHours ${soakHours} lets it through from ${soakedAt.toISOString()}`,
      );
    }
  }
  if (!staging.keys) {
    reasons.push(
      "staging exports no key names for it (run pulumi up on staging with this release of secret-rotation first)",
    );
  } else {
    const keys = [...candidate.keys].sort();
    if (staging.keys.join(",") !== keys.join(",")) {
      reasons.push(
        `the keys differ: staging has ${list(staging.keys)}, this stack has ${list(keys)}`,
      );
    }
  }
  return reasons;
}

/**
 * Why production needs no vouching for a version, from its own memory: it already runs it in
 * that role, or the move is a rollback to an older version. A canary promoted to active is a
 * move (all pods instead of a share), so it is checked.
 */
function exempt(
  candidate: GateCandidate,
  own: StackMemory | undefined,
): { status: "unchanged" | "rollback"; reason: string } | undefined {
  const memory = own?.[candidate.secret];
  if (memory?.activeVersion === candidate.version) {
    return {
      status: "unchanged",
      reason: "this stack already runs it: its active version at its previous update",
    };
  }
  if (candidate.role === "canary" && memory?.canaryVersion === candidate.version) {
    return {
      status: "unchanged",
      reason: "this stack already runs it: its canary version at its previous update",
    };
  }
  // A rollback returns to a version this stack itself ran as its active version: older than
  // its previous active (version ids are fixed-width UTC timestamps, so text order is time
  // order) and activated here, by its own memory, or older than every activation its memory
  // records (it ran before the memory began: the update that starts it records only the
  // version then active). An older version it never ran while remembering (created ahead and
  // skipped, or backdated) has served no traffic here, and is checked like any move.
  if (memory?.activeVersion !== undefined && candidate.version < memory.activeVersion) {
    const activated = (h: { activatedAt?: string; firstActivatedAt?: string } | undefined) =>
      (h?.firstActivatedAt ?? h?.activatedAt) !== undefined;
    const ranHere = activated(memory.versions[candidate.version]);
    const remembered = Object.keys(memory.versions).filter((v) => activated(memory.versions[v]));
    if (ranHere || remembered.every((v) => candidate.version < v)) {
      return {
        status: "rollback",
        reason: `a rollback: this stack ran it${ranHere ? "" : " before its memory began"}, and its active version at its previous update is the newer ${memory.activeVersion}`,
      };
    }
  }
  return undefined;
}

/**
 * The gate's decision for every candidate: unchanged when production already runs the version
 * in that role (`own`, this stack's memory: its previous update's active, or canary), rollback
 * when production ran it before and it is older than its previous active version, so only the versions this update
 * moves production forward to are checked; passed when staging still runs the version (its
 * active, or a newer one as its canary), activated it first at least `soakHours` before now, and
 * the key names match; overridden when it would be refused but `promotion.override` names that
 * very version; refused otherwise. Without staging's outputs (`staging` undefined: the offline
 * plan without `--staging-outputs`) every other candidate is `unchecked`.
 */
export function checkPromotion(input: {
  promotion: PromotionSpec;
  candidates: readonly GateCandidate[];
  staging: Readonly<Record<string, StagingSecret>> | undefined;
  now: Date;
  /** This stack's own memory (undefined on its first update: every candidate is a move). */
  own?: StackMemory;
}): GateDecision[] {
  const { promotion, staging, now } = input;
  const names = Object.keys(staging ?? {}).sort();
  return input.candidates.map((candidate): GateDecision => {
    const free = exempt(candidate, input.own);
    if (free) return { ...candidate, status: free.status, reasons: [free.reason] };
    if (!staging) {
      return {
        ...candidate,
        status: "unchecked",
        reasons: ["staging's outputs were not read (offline: pass --staging-outputs FILE)"],
      };
    }
    const reasons = refusals(candidate, staging[candidate.secret], names, promotion.soakHours, now);
    if (reasons.length === 0) return { ...candidate, status: "passed", reasons };
    const override = promotion.override[candidate.secret];
    if (override?.version === candidate.version) {
      return { ...candidate, status: "overridden", reasons, overrideReason: override.reason };
    }
    return { ...candidate, status: "refused", reasons };
  });
}

/** The config path a decision is about, as a ConfigError names it. */
export function candidatePath(candidate: GateCandidate): string {
  return `${join("secrets", candidate.secret)}.${candidate.role === "active" ? "active" : "canary.version"}`;
}

/** The refused decisions as problems for one error that names secret, version and staging. */
export function gateProblems(decisions: readonly GateDecision[]): ConfigProblem[] {
  return decisions
    .filter((d) => d.status === "refused")
    .map((d) => ({
      path: candidatePath(d),
      message:
        `version ${d.version} has not passed staging: ${d.reasons.join("; ")}. ` +
        `Roll it out in staging first, or let it through once with ${configKey(join("promotion.override", d.secret))}: { version: "${d.version}", reason: "..." }`,
    }));
}

/** Overrides that let nothing through: the gate passes without them, or they name a version not in use. */
export function unusedOverrides(
  promotion: PromotionSpec,
  decisions: readonly GateDecision[],
): { secret: string; version: string; why: string }[] {
  return Object.entries(promotion.override).flatMap(([secret, o]) => {
    const decision = decisions.find((d) => d.secret === secret && d.version === o.version);
    if (decision?.status === "overridden") return [];
    const why =
      decision?.status === "unchanged"
        ? "this stack already runs it"
        : decision?.status === "rollback"
          ? "it is a rollback, which the gate never blocks"
          : decision
            ? "staging already vouches for it"
            : "it is neither the active nor the canary version";
    return [{ secret, version: o.version, why }];
  });
}
