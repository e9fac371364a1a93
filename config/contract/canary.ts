/** `secrets.<name>.canary`: some pods of each linked Deployment run another version first. */
import { canarySplitProblem } from "../../core/canary";
import { canaryWorkloadName } from "../../core/names";
import { normalizeVersionId } from "../../core/versionId";
import {
  type Infer,
  Problems,
  checkFields,
  contract,
  join,
  list,
  objectField,
  objectSchema,
  requiredInt,
} from "./kernel";
import type { SecretSpec } from "./secret";
import { VERSION_ID_SCHEMA } from "./version";
import { type DeploymentSpec, type WorkloadSpec, isOwned } from "./workload";

export const CANARY_FIELDS = contract({
  version: {
    presence: "required",
    defaultText: "required",
    doc: "the version the canary pods run: a listed version other than `active`",
    schema: VERSION_ID_SCHEMA,
    /** The version id, checked against the listed versions and the active one. */
    parse: (
      p: Problems,
      path: string,
      value: unknown,
      ctx: { ids: readonly string[]; active?: string },
    ): string | undefined => {
      const version = normalizeVersionId(value);
      if (value === undefined || value === null) {
        p.add(path, "is required: the version the canary pods run (one of the versions)");
      } else if (version === undefined || !ctx.ids.includes(version)) {
        p.add(
          path,
          `${JSON.stringify(value)} is not among the versions; listed: ${list(ctx.ids) || "none"}`,
        );
      } else if (version === ctx.active) {
        p.add(
          path,
          `${version} is the active version; a canary tests another version (to promote, remove canary)`,
        );
      }
      return version;
    },
  },
  percent: requiredInt({
    min: 1,
    max: 100,
    allowed: "a whole number from 1 to 100 (the share of each linked Deployment's pods)",
    doc: "share of each linked Deployment's replicas that run the canary, 1–100",
  }),
});

/** A canary rollout of one secret: some pods of each linked Deployment run `version`. */
export type CanarySpec = Infer<typeof CANARY_FIELDS>;

export const CANARY_SCHEMA = objectSchema(CANARY_FIELDS);

export function parseCanary(
  p: Problems,
  path: string,
  value: unknown,
  ctx: { ids: readonly string[]; active?: string; environment: string },
): CanarySpec | undefined {
  const raw = objectField(p, path, value, "an object { version, percent }");
  if (!raw) return undefined;
  checkFields(p, path, raw, CANARY_FIELDS);
  if (ctx.environment === "dev") {
    p.add(
      path,
      "dev keeps one unversioned Secret, so there is no second version to canary; canary in staging or production",
    );
  }
  const version = CANARY_FIELDS.version.parse(p, join(path, "version"), raw.version, ctx);
  const percent = CANARY_FIELDS.percent.parse(p, join(path, "percent"), raw.percent) ?? 0;
  return version === undefined ? undefined : { version, percent };
}

/**
 * A canary needs a Deployment to split (CronJobs always run the active version), a replica
 * count that leaves a pod on each track, and one canary per Deployment at a time (two would
 * make a failure impossible to attribute).
 */
export function checkCanaries(
  p: Problems,
  secrets: readonly SecretSpec<unknown>[],
  workloads: readonly WorkloadSpec[],
  allWorkloads: readonly string[],
): void {
  // A workload that failed validation is not in `workloads`: skip the cross-checks then.
  if (workloads.length < allWorkloads.length) return;
  for (const secret of secrets) {
    if (!secret.canary) continue;
    const path = join(join("secrets", secret.name), "canary");
    const linked = workloads.filter(
      (w): w is DeploymentSpec =>
        isOwned(w) && w.kind === "Deployment" && w.secrets.includes(secret.name),
    );
    if (linked.length === 0) {
      p.add(
        path,
        `no Deployment uses "${secret.name}", so no pod could run the canary (CronJobs always run the active version, and so do workloads with owner: external)`,
      );
    }
    for (const deployment of linked) {
      const problem = canarySplitProblem(deployment.replicas, secret.canary.percent);
      if (problem) p.add(join(path, "percent"), `workload "${deployment.name}" ${problem}`);
      const canaryName = canaryWorkloadName(deployment.name);
      if (allWorkloads.includes(canaryName)) {
        p.add(
          join("workloads", canaryName),
          `"${canaryName}" is the name of the canary Deployment of "${deployment.name}"; rename this workload`,
        );
      }
    }
  }
  for (const workload of workloads) {
    if (!isOwned(workload) || workload.kind !== "Deployment") continue;
    const canaried = workload.secrets.filter((s) => secrets.find((x) => x.name === s)?.canary);
    if (canaried.length > 1) {
      p.add(
        join(join("workloads", workload.name), "secrets"),
        `links ${list(canaried)}, which both run a canary; canary one secret of a Deployment at a time`,
      );
    }
  }
}
