/**
 * `workloads.<name>`: a Deployment or CronJob the program declares, whose containers read
 * each linked secret's active version, or (`owner: external`) a Deployment, StatefulSet,
 * DaemonSet or CronJob someone else declares, which the program only links. The fields
 * themselves are in workloadFields.ts.
 */
import {
  cronJobNameProblem,
  dns1035LabelProblem,
  dns1123LabelProblem,
  envVarNameProblem,
} from "../rules";
import {
  type AnyField,
  type Infer,
  Problems,
  type Raw,
  checkFields,
  fieldNames,
  takesKind,
  join,
  objectField,
  objectSchema,
} from "./kernel";
import { checkVariableCollisions } from "./container";
import { EXTERNAL, type ExternalKind, WORKLOAD_FIELDS, WORKLOAD_KINDS } from "./workloadFieldsOld";

export {
  DEFAULT_MIN_READY_SECONDS,
  DEFAULT_PROGRESS_DEADLINE_SECONDS,
  DEFAULT_ROLLOUT,
  INT32_MAX,
  RESOURCES_FIELDS,
  ROLLOUT_FIELDS,
} from "./container";
export type { ResourcesSpec, RolloutSpec } from "./container";
export {
  EXTERNAL,
  EXTERNAL_KINDS,
  type ExternalKind,
  OWNERS,
  WORKLOAD_FIELDS,
  WORKLOAD_KINDS,
} from "./workloadFieldsOld";

type Fields = Infer<typeof WORKLOAD_FIELDS>;
type Common = Pick<Fields, "image" | "secrets" | "command" | "args" | "env" | "resources"> & {
  /** The workload's name: its Kubernetes name too. */
  name: string;
};
export type DeploymentSpec = Common &
  Pick<Fields, "replicas" | "rollout" | "minReadySeconds" | "progressDeadlineSeconds" | "port"> & {
    kind: "Deployment";
  };
export type CronJobSpec = Common & Pick<Fields, "schedule"> & { kind: "CronJob" };
/** A workload declared elsewhere (Helm, Argo CD, another stack) that the program links. */
export interface ExternalWorkloadSpec {
  owner: "external";
  /** The workload's Kubernetes name. */
  name: string;
  kind: ExternalKind;
  namespace: string;
  /** The containers that get the env entries. */
  containers: string[];
  /** The linked secrets, in order. */
  secrets: string[];
}
/** A workload the program declares. */
export type OwnedWorkloadSpec = DeploymentSpec | CronJobSpec;
export type WorkloadSpec = OwnedWorkloadSpec | ExternalWorkloadSpec;

/** Whether the program declares the workload (rather than linking one declared elsewhere). */
export function isOwned(workload: WorkloadSpec): workload is OwnedWorkloadSpec {
  return !("owner" in workload);
}

/** The fields a workload the program declares takes, whatever its kind. */
const OWNED_FIELD_NAMES = [
  ...new Set(WORKLOAD_KINDS.flatMap((kind) => fieldNames(WORKLOAD_FIELDS, kind))),
].sort();

/** The fields a kind takes and the ones it adds to the required list. */
function kindRule(kind: string) {
  const fields: [string, AnyField][] = Object.entries(WORKLOAD_FIELDS);
  // Only what this kind adds: the fields every kind requires are required above.
  const required = fields
    .filter(([, f]) => f.kinds?.includes(kind) && f.presence === "required")
    .map(([name]) => name);
  return {
    properties: Object.fromEntries<boolean>([
      ...fields
        .filter(([, f]) => !takesKind(f, kind))
        .map(([name]): [string, boolean] => [name, false]),
      // Named here too, so a strict validator sees every required property defined.
      ...required.map((name): [string, boolean] => [name, true]),
    ]),
    required,
  };
}

/**
 * Each kind takes its own fields: the schema refuses a Deployment field on a CronJob, and a
 * container field on a linked workload.
 */
export const WORKLOAD_SCHEMA = objectSchema(WORKLOAD_FIELDS, {
  allOf: [
    {
      if: { properties: { owner: { const: EXTERNAL } }, required: ["owner"] },
      then: kindRule(EXTERNAL),
      else: {
        properties: { kind: { enum: [...WORKLOAD_KINDS] } },
        allOf: WORKLOAD_KINDS.map((kind) => ({
          if: { properties: { kind: { const: kind } }, required: ["kind"] },
          then: kindRule(kind),
        })),
      },
    },
  ],
});

/** One workload, or undefined when it has a problem (each one reported). */
export function parseWorkload(
  p: Problems,
  name: string,
  value: unknown,
  secretNames: ReadonlySet<string>,
  secretKeys: ReadonlyMap<string, readonly string[]>,
  stackNamespace: string,
): WorkloadSpec | undefined {
  const path = join("workloads", name);
  const before = p.list.length;
  const raw = objectField(p, path, value, "an object with kind, image and secrets");
  if (!raw) {
    if (value === undefined || value === null) p.add(path, "must have kind, image and secrets");
    return undefined;
  }
  const f = WORKLOAD_FIELDS;
  const at = (field: keyof typeof f) => join(path, field);
  const owner = f.owner.parse(p, at("owner"), raw.owner);
  const anyKind = f.kind.parse(p, at("kind"), raw.kind, owner);
  if (anyKind === undefined) {
    // The kind decides which fields a workload takes; without one, the typo guard still runs
    // against every field some kind of this owner takes, so a mistyped `kind` (`knd`) is named
    // as unknown beside "kind is required", and so is any other typo.
    checkFields(p, path, raw, owner === EXTERNAL ? fieldNames(f, EXTERNAL) : OWNED_FIELD_NAMES);
    f.secrets.parse(p, at("secrets"), raw.secrets, secretNames);
    return undefined;
  }
  if (owner === EXTERNAL) {
    const linked = parseExternal(
      p,
      path,
      name,
      raw,
      anyKind,
      secretNames,
      secretKeys,
      stackNamespace,
    );
    return p.list.length > before ? undefined : linked;
  }
  const kind = anyKind as (typeof WORKLOAD_KINDS)[number];
  checkFields(p, path, raw, f, kind);

  const nameProblem =
    kind === "Deployment" && raw.port !== undefined
      ? dns1035LabelProblem(name)
      : (dns1123LabelProblem(name) ?? (kind === "CronJob" ? cronJobNameProblem(name) : undefined));
  if (nameProblem) p.add(path, `the workload name ${nameProblem}`);
  const image = f.image.parse(p, at("image"), raw.image);
  const secrets = f.secrets.parse(p, at("secrets"), raw.secrets, secretNames);
  const env = f.env.parse(p, at("env"), raw.env);
  checkVariableCollisions(p, path, secrets, env, secretKeys);
  const command = f.command.parse(p, at("command"), raw.command);
  const args = f.args.parse(p, at("args"), raw.args);
  const resources = f.resources.parse(p, at("resources"), raw.resources);
  const common: Common = {
    name,
    image,
    secrets,
    ...(command && { command }),
    ...(args && { args }),
    env,
    ...(resources && { resources }),
  };

  const workload: WorkloadSpec =
    kind === "CronJob"
      ? { ...common, kind, schedule: f.schedule.parse(p, at("schedule"), raw.schedule) }
      : parseDeployment(p, path, raw, common);
  return p.list.length > before ? undefined : workload;
}

/** A workload declared elsewhere: its name, namespace, containers and the secrets to link. */
function parseExternal(
  p: Problems,
  path: string,
  name: string,
  raw: Raw,
  kind: ExternalKind,
  secretNames: ReadonlySet<string>,
  secretKeys: ReadonlyMap<string, readonly string[]>,
  stackNamespace: string,
): ExternalWorkloadSpec {
  const f = WORKLOAD_FIELDS;
  const at = (field: keyof typeof f) => join(path, field);
  checkFields(p, path, raw, f, EXTERNAL);
  const nameProblem = dns1123LabelProblem(name);
  if (nameProblem) p.add(path, `the workload name ${nameProblem}`);
  const namespace = f.namespace.parse(p, at("namespace"), raw.namespace, stackNamespace);
  const containers = f.containers.parse(p, at("containers"), raw.containers);
  const secrets = f.secrets.parse(p, at("secrets"), raw.secrets, secretNames);
  if (secrets.length === 0) {
    p.add(at("secrets"), "is empty: a linked workload must link at least one secret");
  }
  checkVariableCollisions(p, path, secrets, {}, secretKeys);
  // Each key becomes an env entry's name, which the API server validates.
  for (const secret of secrets) {
    for (const key of secretKeys.get(secret) ?? []) {
      const problem = envVarNameProblem(key);
      if (problem) {
        p.add(
          at("secrets"),
          `"${secret}" has the key "${key}", which cannot name an env entry: it ${problem}`,
        );
      }
    }
  }
  return { owner: EXTERNAL, name, kind, namespace, containers, secrets };
}

function parseDeployment(p: Problems, path: string, raw: Raw, common: Common): DeploymentSpec {
  const f = WORKLOAD_FIELDS;
  const at = (field: keyof typeof f) => join(path, field);
  const replicas = f.replicas.parse(p, at("replicas"), raw.replicas);
  const minReadySeconds = f.minReadySeconds.parse(p, at("minReadySeconds"), raw.minReadySeconds);
  const progressDeadlineSeconds = f.progressDeadlineSeconds.parse(
    p,
    at("progressDeadlineSeconds"),
    raw.progressDeadlineSeconds,
  );
  // Kubernetes refuses a deadline that a pod could not meet even when healthy.
  if (progressDeadlineSeconds <= minReadySeconds) {
    p.add(
      at("progressDeadlineSeconds"),
      `${progressDeadlineSeconds} must be greater than minReadySeconds (${minReadySeconds})`,
    );
  }
  const port = f.port.parse(p, at("port"), raw.port);
  return {
    ...common,
    kind: "Deployment",
    replicas,
    rollout: f.rollout.parse(p, at("rollout"), raw.rollout),
    minReadySeconds,
    progressDeadlineSeconds,
    ...(port !== undefined && { port }),
  };
}
