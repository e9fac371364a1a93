/**
 * `workloads.<name>`: a Deployment or CronJob the program declares, whose containers read
 * each linked secret's active version. int32 fields are bounded as the API server bounds them.
 */
import { dict } from "../dict";
import {
  cronJobNameProblem,
  cronScheduleProblem,
  dns1035LabelProblem,
  dns1123LabelProblem,
  envVarNameProblem,
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
const DEPLOYMENT = ["Deployment"];

export const WORKLOAD_FIELDS = contract({
  kind: {
    presence: "required",
    defaultText: "required",
    doc: "`Deployment` or `CronJob`",
    schema: { enum: [...WORKLOAD_KINDS] },
    parse: (p: Problems, path: string, value: unknown) => {
      if (value === "Deployment" || value === "CronJob") return value;
      p.add(path, `${JSON.stringify(value)} is not allowed; allowed: ${list(WORKLOAD_KINDS)}`);
      return undefined;
    },
  },
  image: {
    presence: "required",
    defaultText: "required",
    doc: "the container image",
    schema: { type: "string", minLength: 1 },
    parse: (p: Problems, path: string, value: unknown): string => {
      if (typeof value !== "string" || value.trim() === "") {
        p.add(path, "is required: a container image reference");
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
  progressDeadlineSeconds: int({
    min: 1,
    max: INT32_MAX,
    default: DEFAULT_PROGRESS_DEADLINE_SECONDS,
    allowed: `a whole number of seconds from 1 to ${INT32_MAX} (an int32 field; default ${DEFAULT_PROGRESS_DEADLINE_SECONDS})`,
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
    doc: "5-field cron or `@hourly`/`@daily`/`@weekly`/`@monthly`/`@yearly`",
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
    doc: "the container's command, a list of strings",
    schema: STRING_LIST_SCHEMA,
    parse: stringList,
  },
  args: {
    presence: "optional",
    defaultText: "none",
    doc: "the container's arguments, a list of strings",
    schema: STRING_LIST_SCHEMA,
    parse: stringList,
  },
  env: {
    presence: "default",
    defaultText: "none",
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
export type WorkloadSpec = DeploymentSpec | CronJobSpec;

/** Each kind takes its own fields: the schema refuses a Deployment field on a CronJob. */
export const WORKLOAD_SCHEMA = objectSchema(WORKLOAD_FIELDS, {
  allOf: WORKLOAD_KINDS.map((kind) => {
    const fields: [string, AnyField][] = Object.entries(WORKLOAD_FIELDS);
    return {
      if: { properties: { kind: { const: kind } }, required: ["kind"] },
      then: {
        properties: Object.fromEntries(
          fields.filter(([, f]) => !takesKind(f, kind)).map(([name]) => [name, false]),
        ),
        // Only what this kind adds: the fields every kind requires are required above.
        required: fields
          .filter(([, f]) => f.kinds?.includes(kind) && f.presence === "required")
          .map(([name]) => name),
      },
    };
  }),
});

/** One workload, or undefined when it has a problem (each one reported). */
export function parseWorkload(
  p: Problems,
  name: string,
  value: unknown,
  secretNames: ReadonlySet<string>,
  secretKeys: ReadonlyMap<string, readonly string[]>,
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
  const kind = f.kind.parse(p, at("kind"), raw.kind);
  if (kind === undefined) return undefined;
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
