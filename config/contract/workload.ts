/**
 * `workloads.<name>`: a Deployment or CronJob the program declares, whose containers read
 * each linked secret's active version, or (`owner: external`) a Deployment, StatefulSet,
 * DaemonSet or CronJob someone else declares, which the program only links. int32 fields are
 * bounded as the API server bounds them.
 */
import { dict } from "../../core/dict";
import {
  cronJobNameProblem,
  cronScheduleProblem,
  dns1035LabelProblem,
  dns1123LabelProblem,
  envVarNameProblem,
  imageProblem,
} from "../rules";
import {
  type AnyField,
  type Infer,
  Problems,
  type Raw,
  SCALAR_SCHEMA,
  STRING_LIST_SCHEMA,
  checkFields,
  contract,
  fieldNames,
  takesKind,
  int,
  join,
  list,
  mapSchema,
  objectField,
  objectSchema,
  optionalInt,
  scalarText,
  stringList,
} from "./kernel";
import {
  DEFAULT_MIN_READY_SECONDS,
  DEFAULT_PROGRESS_DEADLINE_SECONDS,
  INT32_MAX,
  RESOURCES_FIELDS,
  ROLLOUT_FIELDS,
  checkVariableCollisions,
  parseResources,
  parseRollout,
} from "./container";

export {
  DEFAULT_MIN_READY_SECONDS,
  DEFAULT_PROGRESS_DEADLINE_SECONDS,
  DEFAULT_ROLLOUT,
  INT32_MAX,
  RESOURCES_FIELDS,
  ROLLOUT_FIELDS,
} from "./container";
export type { ResourcesSpec, RolloutSpec } from "./container";

export const WORKLOAD_KINDS = ["Deployment", "CronJob"] as const;
/** The kinds the program can link without owning them. */
export const EXTERNAL_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "CronJob"] as const;
export type ExternalKind = (typeof EXTERNAL_KINDS)[number];
export const OWNERS = ["program", "external"] as const;
/**
 * The field checks treat a linked workload as a kind of its own: it takes `namespace` and
 * `containers`, and none of the fields that describe a container the program runs.
 */
export const EXTERNAL = "external";
const DEPLOYMENT = ["Deployment"];
const OWNED = [...WORKLOAD_KINDS];

export const WORKLOAD_FIELDS = contract({
  kind: {
    presence: "required",
    defaultText: "required",
    doc: "`Deployment` or `CronJob`; with `owner: external` also `StatefulSet` or `DaemonSet`",
    schema: { enum: [...EXTERNAL_KINDS] },
    parse: (p: Problems, path: string, value: unknown, owner: string) => {
      const allowed: readonly string[] = owner === EXTERNAL ? EXTERNAL_KINDS : WORKLOAD_KINDS;
      if (typeof value === "string" && allowed.includes(value)) return value as ExternalKind;
      const more = owner === EXTERNAL ? "" : " (StatefulSet and DaemonSet with owner: external)";
      // Absent (often mistyped: the typo guard names `knd` beside this), not "undefined".
      const given =
        value === undefined || value === null
          ? "is required"
          : `${JSON.stringify(value)} is not allowed`;
      p.add(path, `${given}; allowed: ${list(allowed)}${more}`);
      return undefined;
    },
  },
  owner: {
    presence: "default",
    defaultText: "`program`",
    doc: "`program` (declared by this stack) or `external` (declared elsewhere; the program only links it, see [Linking workloads it does not own](#linking-workloads-it-does-not-own))",
    schema: { enum: [...OWNERS] },
    parse: (p: Problems, path: string, value: unknown): "program" | "external" => {
      if (value === undefined || value === null || value === "program") return "program";
      if (value === EXTERNAL) return EXTERNAL;
      p.add(
        path,
        `${JSON.stringify(value)} is not allowed; allowed: ${list(OWNERS)} (default program)`,
      );
      return "program";
    },
  },
  namespace: {
    presence: "required",
    defaultText: "required",
    doc: "the namespace of the workload (it must be the stack's namespace, where the Secrets are)",
    schema: { type: "string" },
    kinds: [EXTERNAL],
    parse: (p: Problems, path: string, value: unknown, stackNamespace: string): string => {
      if (typeof value !== "string") {
        p.add(
          path,
          `is required for owner: external: the workload's namespace ("${stackNamespace}")`,
        );
        return stackNamespace;
      }
      // A pod reads Secrets of its own namespace only, and the versions live in the stack's.
      if (value !== stackNamespace) {
        p.add(
          path,
          `"${value}" is not the stack's namespace "${stackNamespace}": a pod can read only Secrets of its own namespace, and the versions are written to "${stackNamespace}"`,
        );
      }
      return value;
    },
  },
  containers: {
    presence: "required",
    defaultText: "required",
    doc: "the names of the containers to link; each gets one `env` entry per key of each linked secret",
    schema: { ...STRING_LIST_SCHEMA, minItems: 1 },
    kinds: [EXTERNAL],
    parse: (p: Problems, path: string, value: unknown): string[] => {
      const names = stringList(p, path, value ?? []) ?? [];
      if (names.length === 0)
        p.add(path, "is required for owner: external: the container names to link");
      names.forEach((name, i) => {
        const problem = dns1123LabelProblem(name);
        if (problem) p.add(`${path}[${i}]`, problem);
        else if (names.indexOf(name) !== i) p.add(`${path}[${i}]`, `"${name}" is listed twice`);
      });
      return names;
    },
  },
  image: {
    presence: "required",
    defaultText: "required",
    doc: "the container image",
    kinds: OWNED,
    schema: { type: "string", minLength: 1 },
    parse: (p: Problems, path: string, value: unknown): string => {
      if (typeof value !== "string" || value.trim() === "") {
        p.add(path, "is required: a container image reference");
      } else {
        const problem = imageProblem(value);
        if (problem) p.add(path, problem);
      }
      return String(value);
    },
  },
  secrets: {
    presence: "default",
    defaultText: "`[]`",
    doc: "secret names; each becomes an `envFrom.secretRef` to its active version; two linked secrets may not share a key",
    schema: STRING_LIST_SCHEMA,
    parse: (
      p: Problems,
      path: string,
      value: unknown,
      secretNames: ReadonlySet<string>,
    ): string[] => {
      const secrets = stringList(p, path, value ?? []) ?? [];
      secrets.forEach((secret, i) => {
        if (!secretNames.has(secret)) {
          p.add(
            `${path}[${i}]`,
            `"${secret}" is not a secret of this stack; defined: ${list([...secretNames].sort()) || "none"}`,
          );
        } else if (secrets.indexOf(secret) !== i) {
          p.add(`${path}[${i}]`, `"${secret}" is listed twice`);
        }
      });
      return secrets;
    },
  },
  replicas: int({
    min: 0,
    max: INT32_MAX,
    default: 1,
    allowed: `a whole number from 0 to ${INT32_MAX} (an int32 field; default 1)`,
    doc: `pods, 0–${INT32_MAX} (int32)`,
    kinds: DEPLOYMENT,
  }),
  rollout: {
    presence: "default",
    defaultText: "`{ maxUnavailable: 0, maxSurge: 1 }`",
    doc: "the rolling update; not both 0",
    schema: objectSchema(ROLLOUT_FIELDS),
    nested: { contract: ROLLOUT_FIELDS },
    kinds: DEPLOYMENT,
    parse: parseRollout,
  },
  minReadySeconds: int({
    min: 0,
    max: INT32_MAX,
    default: DEFAULT_MIN_READY_SECONDS,
    allowed: `a whole number of seconds from 0 to ${INT32_MAX} (an int32 field; default ${DEFAULT_MIN_READY_SECONDS})`,
    doc: "seconds a new pod must stay ready before it counts as available (int32)",
    kinds: DEPLOYMENT,
  }),
  // INT32_MAX itself means "no deadline" to the controller, which then writes no Progressing
  // condition (kubernetes pkg/controller/deployment/progress.go syncRolloutStatus,
  // util.HasProgressDeadline), and the provider's await never sees NewReplicaSetAvailable
  // (pulumi-kubernetes await/deployment.go): every rollout would time out.
  progressDeadlineSeconds: int({
    min: 1,
    max: INT32_MAX - 1,
    default: DEFAULT_PROGRESS_DEADLINE_SECONDS,
    allowed: `a whole number of seconds from 1 to ${INT32_MAX - 1} (an int32 field; ${INT32_MAX} means no deadline, which pulumi up cannot wait for; default ${DEFAULT_PROGRESS_DEADLINE_SECONDS})`,
    doc: "seconds without progress before the rollout fails; greater than `minReadySeconds` (int32)",
    kinds: DEPLOYMENT,
  }),
  port: optionalInt({
    min: 1,
    max: 65535,
    allowed: "a whole number from 1 to 65535 (the container port the Service targets)",
    doc: "1–65535: a container port named `http` and a ClusterIP Service",
    kinds: DEPLOYMENT,
  }),
  schedule: {
    presence: "required",
    defaultText: "required",
    doc: "what the Kubernetes API server accepts (robfig/cron v3 `ParseStandard`): 5-field cron, day-of-week 0–6, or `@yearly`/`@annually`/`@monthly`/`@weekly`/`@daily`/`@midnight`/`@hourly`/`@every <duration>`; no `L`, `#`, `H`, `TZ=`",
    schema: { type: "string" },
    kinds: ["CronJob"],
    parse: (p: Problems, path: string, value: unknown): string => {
      if (typeof value !== "string") {
        p.add(path, 'is required for a CronJob: a cron schedule such as "0 3 * * 1"');
      } else {
        const problem = cronScheduleProblem(value);
        if (problem) p.add(path, `"${value}" ${problem}`);
      }
      return String(value);
    },
  },
  command: {
    presence: "optional",
    defaultText: "none",
    kinds: OWNED,
    doc: "the container's command, a list of strings",
    schema: STRING_LIST_SCHEMA,
    parse: stringList,
  },
  args: {
    presence: "optional",
    defaultText: "none",
    kinds: OWNED,
    doc: "the container's arguments, a list of strings",
    schema: STRING_LIST_SCHEMA,
    parse: stringList,
  },
  env: {
    presence: "default",
    defaultText: "none",
    kinds: OWNED,
    doc: "plain (non-secret) variables, name to value; a name may not be a linked secret's key",
    schema: mapSchema(SCALAR_SCHEMA),
    parse: (p: Problems, path: string, value: unknown): Record<string, string> => {
      const raw = objectField(p, path, value, "a map of variable name to plain value");
      const env = dict<string>();
      for (const name of Object.keys(raw ?? {}).sort()) {
        const problem = envVarNameProblem(name);
        if (problem) p.add(join(path, name), `the name ${problem}`);
        const text = scalarText(raw![name]);
        if (text === undefined) p.add(join(path, name), "must be a string, number or boolean");
        else env[name] = text;
      }
      return env;
    },
  },
  resources: {
    presence: "optional",
    defaultText: "none",
    kinds: OWNED,
    doc: "the container's `requests` and `limits`",
    schema: objectSchema(RESOURCES_FIELDS),
    nested: { contract: RESOURCES_FIELDS },
    parse: parseResources,
  },
});

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
