/**
 * `workloads.<name>`: a Deployment or CronJob the program declares, whose containers read
 * each linked secret's active version, or (`owner: external`) a Deployment, StatefulSet,
 * DaemonSet or CronJob someone else declares, which the program only links. The fields
 * themselves are declared in zod in workloadFields.ts; each is checked at its own path, in
 * today's order (owner, kind, unknown fields, the name, then field by field).
 */
import type { z } from "zod";
import {
  cronJobNameProblem,
  dns1035LabelProblem,
  dns1123LabelProblem,
  envVarNameProblem,
} from "../rules";
import { type AnyField } from "../zod/view";
import { type JsonSchema, type Raw, isObject } from "../zod/vocabulary";
import { Problems, join } from "../../core/problems";
import {
  DEFAULT_MIN_READY_SECONDS,
  DEFAULT_PROGRESS_DEADLINE_SECONDS,
  type ResourcesSpec,
  type RolloutSpec,
  checkVariableCollisions,
  parseResources,
  parseRollout,
} from "./container";
import {
  EXTERNAL,
  type ExternalKind,
  WORKLOAD_FIELDS,
  WORKLOAD_KINDS,
  envOf,
  workloadShape,
} from "./workloadFields";
import { fields, jsonSchema, parseInto } from "../zod/field";
import { parseOr, stringsOf, typoGuard } from "../zod/workload";
import { type BlueGreenSpec, parseSlotFields, withoutSlotFields } from "./blueGreen";

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
} from "./workloadFields";

type Shape = ReturnType<typeof workloadShape>;
type Out<K extends keyof Shape> = z.output<Shape[K]>;
interface Common {
  /** The workload's name: its Kubernetes name too. */
  name: string;
  image: Out<"image">;
  secrets: Out<"secrets">;
  command?: string[];
  args?: string[];
  env: Out<"env">;
  resources?: ResourcesSpec;
}
export type DeploymentSpec = Common & {
  kind: "Deployment";
  replicas: Out<"replicas">;
  rollout: RolloutSpec;
  minReadySeconds: Out<"minReadySeconds">;
  progressDeadlineSeconds: Out<"progressDeadlineSeconds">;
  port?: number;
  /** `strategy: blueGreen`: two slots behind the Service; absent for `rolling`. */
  blueGreen?: BlueGreenSpec;
};
export type CronJobSpec = Common & { kind: "CronJob"; schedule: Out<"schedule"> };
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

const takes = (field: AnyField, kind: string) => !field.kinds || field.kinds.includes(kind);
/** The fields a kind takes, sorted: what its typo guard lists as allowed. */
const namesOf = (kind: string) =>
  Object.keys(WORKLOAD_FIELDS)
    .filter((name) => takes(WORKLOAD_FIELDS[name], kind))
    .sort();
/** The typo guard of each kind, of a linked workload, and of an owned one whose kind is unknown. */
const GUARDS = {
  Deployment: typoGuard(namesOf("Deployment")),
  CronJob: typoGuard(namesOf("CronJob")),
  [EXTERNAL]: typoGuard(namesOf(EXTERNAL)),
  owned: typoGuard([...new Set(WORKLOAD_KINDS.flatMap(namesOf))].sort()),
};

/** The fields a kind takes and the ones it adds to the required list. */
function kindRule(kind: string) {
  const entries = Object.entries(WORKLOAD_FIELDS);
  // Only what this kind adds: the fields every kind requires are required above.
  const required = entries
    .filter(([, f]) => f.kinds?.includes(kind) && f.presence === "required")
    .map(([name]) => name);
  return {
    properties: Object.fromEntries<boolean>([
      ...entries
        .filter(([, f]) => !takes(f, kind))
        .map(([name]): [string, boolean] => [name, false]),
      // Named here too, so a strict validator sees every required property defined.
      ...required.map((name): [string, boolean] => [name, true]),
    ]),
    required,
  };
}

/** The shape as the schema and the reference read it (the context changes only messages). */
const SHAPE: Shape = workloadShape({
  owner: "program",
  secretNames: new Set(),
  stackNamespace: "",
});

/**
 * Each kind takes its own fields: the schema refuses a Deployment field on a CronJob, and a
 * container field on a linked workload.
 */
export const WORKLOAD_SCHEMA: JsonSchema = {
  ...jsonSchema(fields(SHAPE, "a workload")),
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
};

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
  if (value === undefined || value === null) {
    p.add(path, "must have kind, image and secrets");
    return undefined;
  }
  if (!isObject(value)) {
    p.add(path, "must be an object with kind, image and secrets");
    return undefined;
  }
  const raw = value;
  const at = (field: string) => join(path, field);
  const owner = parseOr(SHAPE.owner, p, at("owner"), raw.owner, () => "program" as const);
  const f = workloadShape({ owner, secretNames, stackNamespace });
  const anyKind = parseInto(f.kind, p, at("kind"), raw.kind, []);
  if (anyKind === undefined) {
    // The kind decides which fields a workload takes; without one, the typo guard still runs
    // against every field some kind of this owner takes, so a mistyped `kind` (`knd`) is named
    // as unknown beside "kind is required", and so is any other typo.
    // The fields every kind of the owner takes are still checked (every problem at once).
    parseInto(GUARDS[owner === EXTERNAL ? EXTERNAL : "owned"], p, path, raw, []);
    if (owner === EXTERNAL) parseInto(f.secrets, p, at("secrets"), raw.secrets, []);
    else parseCommon(p, path, raw, f, secretKeys);
    return undefined;
  }
  if (owner === EXTERNAL) {
    const linked = parseExternal(p, path, name, raw, anyKind, f, secretKeys);
    return p.list.length > before ? undefined : linked;
  }
  const kind = anyKind as (typeof WORKLOAD_KINDS)[number];
  const guarded = kind === "CronJob" ? withoutSlotFields(p, path, raw, "a CronJob") : raw;
  parseInto(GUARDS[kind], p, path, guarded, []);

  const nameProblem =
    kind === "Deployment" && raw.port !== undefined
      ? dns1035LabelProblem(name)
      : (dns1123LabelProblem(name) ?? (kind === "CronJob" ? cronJobNameProblem(name) : undefined));
  if (nameProblem) p.add(path, `the workload name ${nameProblem}`);
  const common: Common = { name, ...parseCommon(p, path, raw, f, secretKeys) };

  const workload: WorkloadSpec =
    kind === "CronJob"
      ? { ...common, kind, schedule: parseOr(f.schedule, p, at("schedule"), raw.schedule, String) }
      : parseDeployment(p, path, raw, common, f);
  return p.list.length > before ? undefined : workload;
}

/** The fields every kind this program owns takes, in today's order. */
function parseCommon(
  p: Problems,
  path: string,
  raw: Raw,
  f: Shape,
  secretKeys: ReadonlyMap<string, readonly string[]>,
): Omit<Common, "name"> {
  const at = (field: string) => join(path, field);
  const image = parseOr(f.image, p, at("image"), raw.image, String);
  // The secrets listed and the variables given, known or not: the collisions run over them.
  const secrets = parseOr(f.secrets, p, at("secrets"), raw.secrets, stringsOf);
  const env = parseOr(f.env, p, at("env"), raw.env, envOf);
  checkVariableCollisions(p, path, secrets, env, secretKeys);
  const command = parseInto(f.command, p, at("command"), raw.command, []);
  const args = parseInto(f.args, p, at("args"), raw.args, []);
  const resources = parseResources(p, at("resources"), raw.resources);
  return {
    image,
    secrets,
    ...(command && { command }),
    ...(args && { args }),
    env,
    ...(resources && { resources }),
  };
}

/** A workload declared elsewhere: its name, namespace, containers and the secrets to link. */
function parseExternal(
  p: Problems,
  path: string,
  name: string,
  raw: Raw,
  kind: ExternalKind,
  f: Shape,
  secretKeys: ReadonlyMap<string, readonly string[]>,
): ExternalWorkloadSpec {
  const at = (field: string) => join(path, field);
  const guarded = withoutSlotFields(p, path, raw, "a workload with owner: external");
  parseInto(GUARDS[EXTERNAL], p, path, guarded, []);
  const nameProblem = dns1123LabelProblem(name);
  if (nameProblem) p.add(path, `the workload name ${nameProblem}`);
  const namespace = parseOr(f.namespace, p, at("namespace"), raw.namespace, () => "");
  const containers = parseOr(f.containers, p, at("containers"), raw.containers, stringsOf);
  const secrets = parseOr(f.secrets, p, at("secrets"), raw.secrets, stringsOf);
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

function parseDeployment(
  p: Problems,
  path: string,
  raw: Raw,
  common: Common,
  f: Shape,
): DeploymentSpec {
  const at = (field: string) => join(path, field);
  const replicas = parseOr(f.replicas, p, at("replicas"), raw.replicas, () => 1);
  // A value that failed is reported once and judged no further: the deadline rule compares
  // what the user wrote (or the default of an absent field), never a stand-in.
  const minReady = parseOr(
    f.minReadySeconds,
    p,
    at("minReadySeconds"),
    raw.minReadySeconds,
    () => undefined,
  );
  const deadline = parseOr(
    f.progressDeadlineSeconds,
    p,
    at("progressDeadlineSeconds"),
    raw.progressDeadlineSeconds,
    () => undefined,
  );
  // Kubernetes refuses a deadline that a pod could not meet even when healthy.
  if (minReady !== undefined && deadline !== undefined && deadline <= minReady) {
    p.add(
      at("progressDeadlineSeconds"),
      `${deadline} must be greater than minReadySeconds (${minReady})`,
    );
  }
  const minReadySeconds = minReady ?? DEFAULT_MIN_READY_SECONDS;
  const progressDeadlineSeconds = deadline ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;
  const port = parseInto(f.port, p, at("port"), raw.port, []);
  const blueGreen = parseSlotFields(p, path, raw, port);
  return {
    ...common,
    kind: "Deployment",
    replicas,
    rollout: parseRollout(p, at("rollout"), raw.rollout),
    minReadySeconds,
    progressDeadlineSeconds,
    ...(port !== undefined && { port }),
    ...(blueGreen && { blueGreen }),
  };
}
