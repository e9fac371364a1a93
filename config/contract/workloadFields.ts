/**
 * The fields of `workloads.<name>` (see workload.ts), declared in zod (config/zod/field.ts):
 * which kinds take each, their defaults, their documentation and how each one is read. int32
 * fields are bounded as the API server bounds them. `kind`, `secrets` and `namespace` read
 * what the stack already knows (the owner, the secrets, the namespace): `workloadShape(ctx)`.
 */
import { z } from "zod";
import { dict } from "../../core/dict";
import {
  cronScheduleProblem,
  dns1123LabelProblem,
  envVarNameProblem,
  imageProblem,
} from "../rules";
import { isObject, scalarText } from "../zod/vocabulary";
import { list } from "../../core/problems";
import { contractOf } from "../zod/view";
import {
  DEFAULT_MIN_READY_SECONDS,
  DEFAULT_PROGRESS_DEADLINE_SECONDS,
  INT32_MAX,
  RESOURCES_FIELDS,
  RESOURCES_JSON_SCHEMA,
  ROLLOUT_FIELDS,
  ROLLOUT_JSON_SCHEMA,
} from "./container";
import { defaulted, maybe, optional, stringList, wholeNumber } from "../zod/field";
import { checkedList, requiredText, withKinds } from "../zod/workload";
import { SLOT_FIELDS } from "./slots";

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

/** What the fields read from the rest of the stack. */
export interface WorkloadContext {
  owner: "program" | "external";
  secretNames: ReadonlySet<string>;
  stackNamespace: string;
}

/** The plain variables whose values are scalars, by name in sorted order (null prototype). */
export function envOf(value: unknown): Record<string, string> {
  const env = dict<string>();
  for (const name of Object.keys(isObject(value) ? value : {}).sort()) {
    const text = scalarText((value as Record<string, unknown>)[name]);
    if (text !== undefined) env[name] = text;
  }
  return env;
}

const int32 = (min: number, max: number, fallback: number, allowed: string, description: string) =>
  defaulted(wholeNumber(min, max, allowed, { description, default: fallback }), fallback, {
    emptyIsAbsent: true,
  });

/** The fields that read nothing from the rest of the stack, built once. */
const FIELDS = {
  owner: z
    .unknown()
    .meta({
      enum: [...OWNERS],
      description:
        "`program` (declared by this stack) or `external` (declared elsewhere; the program only links it, see [Linking workloads it does not own](linked-workloads.md))",
      default: "program",
      defaultText: "`program`",
    })
    .optional()
    .transform((value, ctx): "program" | "external" => {
      if (value === undefined || value === null || value === "program") return "program";
      if (value === EXTERNAL) return EXTERNAL;
      ctx.addIssue(
        `${JSON.stringify(value)} is not allowed; allowed: ${list(OWNERS)} (default program)`,
      );
      return "program";
    }),
  containers: checkedList(
    {
      minItems: 1,
      description:
        "the names of the containers to link; each gets one `env` entry per key of each linked secret",
      defaultText: "required",
    },
    (name, i, names) =>
      dns1123LabelProblem(name) ??
      (names.indexOf(name) !== i ? `"${name}" is listed twice` : undefined),
    "is required for owner: external: the container names to link",
  ),
  image: requiredText(
    { type: "string", minLength: 1, description: "the container image" },
    (value) => typeof value !== "string" || value.trim() === "",
    imageProblem,
    "is required: a container image reference",
  ),
  replicas: int32(
    0,
    INT32_MAX,
    1,
    `a whole number from 0 to ${INT32_MAX} (an int32 field; default 1)`,
    `pods, 0–${INT32_MAX} (int32)`,
  ),
  /** Read by parseRollout (container.ts); declared here for the schema and the reference. */
  rollout: z
    .unknown()
    .meta({
      ...ROLLOUT_JSON_SCHEMA,
      description: "the rolling update; not both 0",
      defaultText: "`{ maxUnavailable: 0, maxSurge: 1 }`",
    })
    .optional(),
  minReadySeconds: int32(
    0,
    INT32_MAX,
    DEFAULT_MIN_READY_SECONDS,
    `a whole number of seconds from 0 to ${INT32_MAX} (an int32 field; default ${DEFAULT_MIN_READY_SECONDS})`,
    "seconds a new pod must stay ready before it counts as available (int32)",
  ),
  // INT32_MAX itself means "no deadline" to the controller, which then writes no Progressing
  // condition (kubernetes pkg/controller/deployment/progress.go syncRolloutStatus,
  // util.HasProgressDeadline), and the provider's await never sees NewReplicaSetAvailable
  // (pulumi-kubernetes await/deployment.go): every rollout would time out.
  progressDeadlineSeconds: int32(
    1,
    INT32_MAX - 1,
    DEFAULT_PROGRESS_DEADLINE_SECONDS,
    `a whole number of seconds from 1 to ${INT32_MAX - 1} (an int32 field; ${INT32_MAX} means no deadline, which pulumi up cannot wait for; default ${DEFAULT_PROGRESS_DEADLINE_SECONDS})`,
    "seconds without progress before the rollout fails; greater than `minReadySeconds` (int32)",
  ),
  port: optional(
    wholeNumber(
      1,
      65535,
      "a whole number from 1 to 65535 (the container port the Service targets)",
      {
        description: "1–65535: a container port named `http` and a ClusterIP Service",
      },
    ),
  ),
  schedule: requiredText(
    {
      type: "string",
      description:
        "what the Kubernetes API server accepts (robfig/cron v3 `ParseStandard`): 5-field cron, day-of-week 0–6, or `@yearly`/`@annually`/`@monthly`/`@weekly`/`@daily`/`@midnight`/`@hourly`/`@every <duration>`; no `L`, `#`, `H`, `TZ=`",
    },
    (value) => typeof value !== "string",
    (value) => {
      const problem = cronScheduleProblem(value);
      return problem && `"${value}" ${problem}`;
    },
    'is required for a CronJob: a cron schedule such as "0 3 * * 1"',
  ),
  command: maybe(stringList({ description: "the container's command, a list of strings" })),
  args: maybe(stringList({ description: "the container's arguments, a list of strings" })),
  env: z
    .unknown()
    .meta({
      type: "object",
      additionalProperties: { type: ["string", "number", "boolean"] },
      description:
        "plain (non-secret) variables, name to value; a name may not be a linked secret's key; a `secure:` value is refused (secrets go under `secrets` and are linked)",
      defaultText: "none",
    })
    .optional()
    .transform((value, ctx): Record<string, string> => {
      if (value !== undefined && value !== null && !isObject(value)) {
        ctx.addIssue("must be a map of variable name to plain value");
      }
      const raw: Record<string, unknown> = isObject(value) ? value : {};
      const at = (name: string, message: string) =>
        ctx.issues.push({ code: "custom", input: undefined, message, path: [name] });
      for (const name of Object.keys(raw).sort()) {
        const problem = envVarNameProblem(name);
        if (problem) at(name, `the name ${problem}`);
        if (scalarText(raw[name]) === undefined) at(name, "must be a string, number or boolean");
      }
      return envOf(value);
    }),
  /** Read by parseResources (container.ts); declared here for the schema and the reference. */
  resources: z
    .unknown()
    .meta({ ...RESOURCES_JSON_SCHEMA, description: "the container's `requests` and `limits`" })
    .optional(),
};

/** `kind`: what the owner allows. */
function kindField(owner: WorkloadContext["owner"]) {
  return z
    .unknown()
    .meta({
      enum: [...EXTERNAL_KINDS],
      description:
        "`Deployment` or `CronJob`; with `owner: external` also `StatefulSet` or `DaemonSet`",
    })
    .transform((value, ctx): ExternalKind => {
      const allowed: readonly string[] = owner === EXTERNAL ? EXTERNAL_KINDS : WORKLOAD_KINDS;
      if (typeof value === "string" && allowed.includes(value)) return value as ExternalKind;
      const more = owner === EXTERNAL ? "" : " (StatefulSet and DaemonSet with owner: external)";
      // Absent (often mistyped: the typo guard names `knd` beside this), not "undefined".
      const given =
        value === undefined || value === null
          ? "is required"
          : `${JSON.stringify(value)} is not allowed`;
      ctx.addIssue(`${given}; allowed: ${list(allowed)}${more}`);
      return z.NEVER;
    });
}

/** `namespace`: the stack's own. */
function namespaceField(stackNamespace: string) {
  return z
    .unknown()
    .meta({
      type: "string",
      description:
        "the namespace of the workload (it must be the stack's namespace, where the Secrets are)",
      defaultText: "required",
    })
    .optional()
    .transform((value, ctx): string => {
      if (typeof value !== "string") {
        ctx.addIssue(
          `is required for owner: external: the workload's namespace ("${stackNamespace}")`,
        );
        return stackNamespace;
      }
      // A pod reads Secrets of its own namespace only, and the versions live in the stack's.
      if (value !== stackNamespace) {
        ctx.addIssue(
          `"${value}" is not the stack's namespace "${stackNamespace}": a pod can read only Secrets of its own namespace, and the versions are written to "${stackNamespace}"`,
        );
      }
      return value;
    });
}

/** `secrets`: each one a secret of the stack, listed once. */
function secretsField(secretNames: ReadonlySet<string>) {
  return checkedList(
    {
      description:
        "secret names; each becomes an `envFrom.secretRef` to its active version; two linked secrets may not share a key",
      default: [],
    },
    (secret, i, secrets) => {
      if (!secretNames.has(secret)) {
        return `"${secret}" is not a secret of this stack; defined: ${list([...secretNames].sort()) || "none"}`;
      }
      return secrets.indexOf(secret) !== i ? `"${secret}" is listed twice` : undefined;
    },
  );
}

const KIND_FIELDS = { program: kindField("program"), external: kindField(EXTERNAL) };

/** The fields of one workload; only `namespace` and `secrets` are built per stack. */
export function workloadShape(ctx: WorkloadContext) {
  return {
    kind: KIND_FIELDS[ctx.owner],
    owner: FIELDS.owner,
    namespace: namespaceField(ctx.stackNamespace),
    containers: FIELDS.containers,
    image: FIELDS.image,
    secrets: secretsField(ctx.secretNames),
    replicas: FIELDS.replicas,
    rollout: FIELDS.rollout,
    minReadySeconds: FIELDS.minReadySeconds,
    progressDeadlineSeconds: FIELDS.progressDeadlineSeconds,
    port: FIELDS.port,
    strategy: SLOT_FIELDS.strategy,
    warmHours: SLOT_FIELDS.warmHours,
    schedule: FIELDS.schedule,
    command: FIELDS.command,
    args: FIELDS.args,
    env: FIELDS.env,
    resources: FIELDS.resources,
  };
}

/** The workload kinds that take each field (absent: every kind). */
const KINDS: Record<string, readonly string[]> = {
  namespace: [EXTERNAL],
  containers: [EXTERNAL],
  image: OWNED,
  replicas: DEPLOYMENT,
  rollout: DEPLOYMENT,
  minReadySeconds: DEPLOYMENT,
  progressDeadlineSeconds: DEPLOYMENT,
  port: DEPLOYMENT,
  strategy: DEPLOYMENT,
  warmHours: DEPLOYMENT,
  schedule: ["CronJob"],
  command: OWNED,
  args: OWNED,
  env: OWNED,
  resources: OWNED,
};

/** The fields as the reference page and the kind rule read them (the Contract view). */
export const WORKLOAD_FIELDS = withKinds(
  contractOf(workloadShape({ owner: "program", secretNames: new Set(), stackNamespace: "" }), {
    rollout: { contract: ROLLOUT_FIELDS },
    resources: { contract: RESOURCES_FIELDS },
  }),
  KINDS,
  ["namespace", "containers", "image", "schedule"],
);
