/**
 * Names shared by both stores, and the labels that make a history listable. Pure.
 * Kubernetes Secret `auth-api-secrets-20250723110000`; AWS secret
 * `production/auth-api-secrets-20250723110000`.
 */

/** Label keys on every Kubernetes object the program writes. */
export const LABELS = {
  /** The logical secret (`kubectl get secrets -l secret-rotation/secret=auth-api-secrets`). */
  secret: "secret-rotation/secret",
  /** The version id of a versioned Secret. */
  version: "secret-rotation/version",
  /** The workload a pod belongs to (selector and Service). */
  app: "app.kubernetes.io/name",
  managedBy: "app.kubernetes.io/managed-by",
  /** Which Deployment of a workload a pod belongs to: `stable` or `canary`. */
  track: "secret-rotation/track",
  /** Which slot of a blue-green workload a pod belongs to: `blue` or `green`. */
  slot: "secret-rotation/slot",
} as const;

/** Tag keys on every AWS secret the program writes (besides `secret` and `version`). */
export const AWS_TAGS = {
  /** The environment: the secret's name prefix (`<environment>/...`). */
  environment: "environment",
  managedBy: "managed-by",
  /** Days a superseded version is kept before it is pruned (the stack's `retentionDays`). */
  retentionDays: "retention-days",
  /** The stack versions are promoted from (the stack's `promotion.fromStack`). */
  promotedFrom: "promoted-from",
} as const;

/**
 * Pod label prefix for the version of each linked secret a pod runs
 * (`version.secret-rotation/auth-api-secrets: "20250723110000"`), so dashboards can split
 * error rates by version. The secret name (at most 63 characters) is the label's name part.
 */
export const POD_VERSION_LABEL_PREFIX = "version.secret-rotation/";

/** The pod label that carries the version of `secret` a pod runs. */
export function podVersionLabel(secret: string): string {
  return `${POD_VERSION_LABEL_PREFIX}${secret}`;
}

/** The Kubernetes name of a workload's canary Deployment. */
export function canaryWorkloadName(workload: string): string {
  return `${workload}-canary`;
}

/** The two slots of a blue-green workload, each one Deployment. */
export const SLOTS = ["blue", "green"] as const;
export type Slot = (typeof SLOTS)[number];

/** The slot that is not `slot`. */
export function otherSlot(slot: Slot): Slot {
  return slot === SLOTS[0] ? SLOTS[1] : SLOTS[0];
}

/** The Kubernetes name of one slot's Deployment: `<workload>-blue`, `<workload>-green`. */
export function slotDeploymentName(workload: string, slot: Slot): string {
  return `${workload}-${slot}`;
}

/** The value of the managed-by label and tag. */
export { PROJECT as MANAGED_BY } from "./project";

/**
 * Pod-template annotation listing the versions a workload runs (`secret=version,...`), so a
 * rotation is a template change and `kubectl rollout history` shows the version per revision.
 */
export const VERSIONS_ANNOTATION = "secret-rotation/versions";

/** The Kubernetes Secret of one version; unversioned (dev) when `version` is undefined. */
export function kubernetesSecretName(secret: string, version?: string): string {
  return version === undefined ? secret : `${secret}-${version}`;
}

/** The AWS Secrets Manager name of one version; unversioned (dev) when `version` is undefined. */
export function awsSecretName(environment: string, secret: string, version?: string): string {
  return `${environment}/${kubernetesSecretName(secret, version)}`;
}

/** The annotation value for a set of linked versions: sorted by secret, stable. */
export function versionsAnnotation(links: Readonly<Record<string, string>>): string {
  return Object.keys(links)
    .sort()
    .map((secret) => `${secret}=${links[secret]}`)
    .join(",");
}

/**
 * The links an annotation written by `versionsAnnotation` records, or undefined when `text` is
 * not such a record (absent, or written by someone else). Secret names and version ids never
 * contain `=` or `,` (the config refuses them), so the record parses back exactly.
 */
export function parseVersionsAnnotation(text: unknown): Record<string, string> | undefined {
  if (typeof text !== "string") return undefined;
  const links: Record<string, string> = Object.create(null) as Record<string, string>;
  if (text === "") return links;
  for (const pair of text.split(",")) {
    const at = pair.indexOf("=");
    if (at <= 0 || at === pair.length - 1) return undefined;
    links[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return links;
}

/**
 * Annotation on a blue-green slot's Deployment: the digest of the container it runs
 * (everything but the secrets), so the memory can tell, from the applied object, whether a
 * slot still runs exactly what it recorded.
 */
export const CONTAINER_ANNOTATION = "secret-rotation/container";
