/** `guard`: the reference guard that looks at the live cluster and AWS before a version is pruned. */
import { dns1123LabelProblem } from "../../config/rules";
import {
  type Infer,
  Problems,
  STRING_LIST_SCHEMA,
  checkFields,
  contract,
  join,
  objectField,
  objectSchema,
  optionalInt,
  stringList,
} from "../../config/contract/kernel";

/** The longest AWS read window: a year. */
export const MAX_AWS_READ_WITHIN_DAYS = 365;

/** A switch written as YAML's true/false or as the text `pulumi config set` stores. */
function toggle(doc: string) {
  return {
    presence: "default" as const,
    defaultText: "true",
    doc,
    schema: { anyOf: [{ type: "boolean" }, { type: "string", enum: ["true", "false"] }] },
    parse: (p: Problems, path: string, value: unknown): boolean => {
      if (value === undefined || value === null || value === true || value === "true") return true;
      if (value === false || value === "false") return false;
      p.add(path, `${JSON.stringify(value)} is not allowed; true or false (default true)`);
      return true;
    },
  };
}

export const GUARD_FIELDS = contract({
  kubernetes: toggle(
    "list the cluster's workloads and Pods before pruning; `false` turns the Kubernetes guard off",
  ),
  aws: toggle(
    "list the stack's AWS secrets (pending deletion too) before pruning; `false` turns the AWS guard off",
  ),
  namespaces: {
    presence: "optional",
    defaultText: "all namespaces",
    doc: "the namespaces the Kubernetes guard lists (the stack's namespace is always added)",
    schema: { ...STRING_LIST_SCHEMA, minItems: 1 },
    parse: (p: Problems, path: string, value: unknown): string[] | undefined => {
      const names = stringList(p, path, value);
      if (names === undefined) return undefined;
      if (names.length === 0) {
        p.add(path, "is empty; list namespaces, or leave guard.namespaces out to list all");
      }
      names.forEach((name, i) => {
        const problem = dns1123LabelProblem(name);
        if (problem) p.add(join(path, String(i)), problem);
      });
      return [...new Set(names)].sort();
    },
  },
  awsReadWithinDays: optionalInt({
    min: 1,
    max: MAX_AWS_READ_WITHIN_DAYS,
    allowed: `a whole number of days from 1 to ${MAX_AWS_READ_WITHIN_DAYS} (default: AWS reads are not counted)`,
    defaultText: "none: reads not counted",
    doc: `1–${MAX_AWS_READ_WITHIN_DAYS}: keep a version whose AWS secret was read within this many days (\`LastAccessedDate\`)`,
  }),
});

/** What the reference guard reads. */
export type GuardSpec = Infer<typeof GUARD_FIELDS>;

export const GUARD_SCHEMA = objectSchema(GUARD_FIELDS);

/** The guard's settings: every check on unless turned off. */
export function parseGuard(p: Problems, path: string, value: unknown): GuardSpec {
  const raw =
    value === undefined || value === null
      ? {}
      : (objectField(
          p,
          path,
          value,
          "an object { kubernetes, aws, namespaces, awsReadWithinDays }",
        ) ?? {});
  checkFields(p, path, raw, GUARD_FIELDS);
  const f = GUARD_FIELDS;
  const namespaces = f.namespaces.parse(p, join(path, "namespaces"), raw.namespaces);
  const awsReadWithinDays = f.awsReadWithinDays.parse(
    p,
    join(path, "awsReadWithinDays"),
    raw.awsReadWithinDays,
  );
  return {
    kubernetes: f.kubernetes.parse(p, join(path, "kubernetes"), raw.kubernetes),
    aws: f.aws.parse(p, join(path, "aws"), raw.aws),
    ...(namespaces && { namespaces }),
    ...(awsReadWithinDays !== undefined && { awsReadWithinDays }),
  };
}
