/**
 * The fields of `workloads.<name>` (see workload.ts): which kinds take each, their defaults,
 * their documentation and how each one is read. int32 fields are bounded as the API server
 * bounds them.
 */
import { dict } from "../../core/dict";
import {
  cronScheduleProblem,
  dns1123LabelProblem,
  envVarNameProblem,
  imageProblem,
} from "../rules";
import {
  Problems,
  SCALAR_SCHEMA,
  STRING_LIST_SCHEMA,
  contract,
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
  parseResources,
  parseRollout,
} from "./container";

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
    doc: "`program` (declared by this stack) or `external` (declared elsewhere; the program only links it, see [Linking workloads it does not own](linked-workloads.md))",
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
