/**
 * What the linked-workload test files share: the patch types, the base config with a
 * Helm-managed Deployment `billing` linked, a cluster holding `billing` of each kind, and a run
 * against a cluster holding given objects.
 */
import { fakeCluster } from "../fakes/world";
import { liveWorkload } from "../fakes/linkedObjects";
import { ProgramRun, TestConfig, baseConfig, declare, secretOf } from "./helpers";

export const PATCHES = {
  Deployment: "kubernetes:apps/v1:DeploymentPatch",
  StatefulSet: "kubernetes:apps/v1:StatefulSetPatch",
  DaemonSet: "kubernetes:apps/v1:DaemonSetPatch",
  CronJob: "kubernetes:batch/v1:CronJobPatch",
} as const;
export const ACTIVE = "20250723110000";

/** The base config with a Helm-managed Deployment `billing` linked to the secret. */
export function linked(extra: Record<string, unknown> = {}): TestConfig {
  const config = baseConfig();
  secretOf(config).versions[ACTIVE] = { api_token: "token-v3", db_password: "pw-v3" };
  for (const id of Object.keys(secretOf(config).versions)) {
    secretOf(config).versions[id] = { api_token: `t-${id}`, db_password: `p-${id}` };
  }
  (config.workloads as Record<string, unknown>).billing = {
    owner: "external",
    kind: "Deployment",
    namespace: "staging",
    containers: ["api", "worker"],
    secrets: ["auth-api-secrets"],
    ...extra,
  };
  return config;
}

export const templateOf = (patch: any, kind: string) =>
  kind === "CronJob" ? patch.spec.jobTemplate.spec.template : patch.spec.template;

/** The cluster holds a workload `billing` of each kind, with containers `api` and `worker`. */
export function loadBilling(): void {
  fakeCluster.load({
    Deployment: [liveWorkload("Deployment", "billing")],
    StatefulSet: [liveWorkload("StatefulSet", "billing")],
    DaemonSet: [liveWorkload("DaemonSet", "billing")],
    CronJob: [liveWorkload("CronJob", "billing")],
  });
}

/** A version of a previous rotation, and the base config's two keys (one env entry each). */
export const OLD = "20250715100000";
export const KEYS = ["api_token", "db_password"];

/** Runs `config` against a cluster holding `objects` (and nothing else). */
export async function against(
  objects: Parameters<typeof fakeCluster.load>[0],
  config: TestConfig = linked(),
  options: Parameters<typeof declare>[1] = {},
): Promise<ProgramRun> {
  fakeCluster.load(objects);
  return declare(config, options);
}
