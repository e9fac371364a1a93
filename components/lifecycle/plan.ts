/**
 * What the program declares for one secret and reports about it: the state table applied to
 * a secret's config, with the names of both stores. Pure, so the outputs, the offline plan
 * and the tests all read the same decision.
 */
import { awsSecretName, kubernetesSecretName } from "./names";
import { VersionState, classifyVersions, isLive } from "./states";

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
  now: Date;
}

/** One version as the `secrets` stack output reports it. */
export interface VersionReport {
  version: string;
  state: VersionState;
  kubernetesName: string;
  awsName: string;
  /** ISO time: when a retained version expires (or when an expired one did). */
  expiresAt?: string;
}

export interface SecretPlan {
  name: string;
  activeVersion: string;
  /** The Kubernetes Secret workloads reference. */
  activeName: string;
  /** The rollback target; absent when no version is older than active. */
  previousVersion?: string;
  /** The canary rollout, when one runs. */
  canary?: { version: string; percent: number; kubernetesName: string };
  /** Every key a version holds, sorted (names only, never values). */
  keys: string[];
  /** Every listed version, oldest first, expired ones included. */
  versions: VersionReport[];
  /** The versions whose resources are declared, oldest first. */
  declared: string[];
  /** Listed versions that are pruned (not declared): config can drop them. */
  expired: VersionReport[];
}

export function planSecret(input: SecretPlanInput): SecretPlan {
  const statuses = classifyVersions({ ...input, canary: input.canary?.version });
  const nameOf = (version: string) => (input.versioned ? version : undefined);
  const versions = statuses.map((s): VersionReport => ({
    version: s.version,
    state: s.state,
    kubernetesName: kubernetesSecretName(input.name, nameOf(s.version)),
    awsName: awsSecretName(input.environment, input.name, nameOf(s.version)),
    ...(s.expiresAt && { expiresAt: s.expiresAt.toISOString() }),
  }));
  // The rollback target is the newest older version, even when a canary of it gives it the
  // state `canary` (testing a return to it).
  const previous = statuses.filter((s) => s.version < input.active).pop();
  return {
    name: input.name,
    activeVersion: input.active,
    activeName: kubernetesSecretName(input.name, nameOf(input.active)),
    ...(previous && { previousVersion: previous.version }),
    ...(input.canary && {
      canary: {
        ...input.canary,
        kubernetesName: kubernetesSecretName(input.name, nameOf(input.canary.version)),
      },
    }),
    keys: [...(input.keys ?? [])].sort(),
    // Dev keeps no history: only the active version exists, unversioned and updated in place.
    versions: input.versioned ? versions : versions.filter((v) => v.version === input.active),
    declared: input.versioned
      ? statuses.filter((s) => isLive(s.state)).map((s) => s.version)
      : [input.active],
    expired: input.versioned ? versions.filter((v) => !isLive(v.state)) : [],
  };
}
