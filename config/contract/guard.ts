/** `guard`: the reference guard that looks at the live cluster and AWS before a version is pruned. */
import { z } from "zod";
import { dns1123LabelProblem } from "../rules";
import { contractOf } from "../zod/view";
import { fields, maybe, optional, stringList, wholeNumber } from "../zod/field";
import { nested } from "../zod/nested";

/** The longest AWS read window: a year. */
export const MAX_AWS_READ_WITHIN_DAYS = 365;

/** A switch written as YAML's true/false or as the text `pulumi config set` stores. */
const toggle = (description: string) =>
  maybe(
    z
      .union([z.boolean(), z.enum(["true", "false"])], {
        error: (iss) => `${JSON.stringify(iss.input)} is not allowed; true or false (default true)`,
      })
      .meta({ description, default: true })
      .optional(),
  ).transform((v) => v !== false && v !== "false");

const GUARD_SHAPE = {
  kubernetes: toggle(
    "list the cluster's workloads and Pods before pruning; `false` turns the Kubernetes guard off",
  ),
  aws: toggle(
    "list the stack's AWS secrets (pending deletion too) before pruning; `false` turns the AWS guard off",
  ),
  namespaces: maybe(
    stringList({
      description:
        "the namespaces the Kubernetes guard lists (the stack's namespace is always added)",
      defaultText: "all namespaces",
      minItems: 1,
    })
      .superRefine((names, ctx) => {
        if (names.length === 0) {
          ctx.addIssue("is empty; list namespaces, or leave guard.namespaces out to list all");
        }
        names.forEach((name, i) => {
          const problem = dns1123LabelProblem(name);
          if (problem) ctx.addIssue({ code: "custom", path: [i], message: problem });
        });
      })
      .transform((names) => [...new Set(names)].sort()),
  ),
  awsReadWithinDays: optional(
    wholeNumber(
      1,
      MAX_AWS_READ_WITHIN_DAYS,
      `a whole number of days from 1 to ${MAX_AWS_READ_WITHIN_DAYS} (default: AWS reads are not counted)`,
      `1–${MAX_AWS_READ_WITHIN_DAYS}: keep a version whose AWS secret was read within this many days (\`LastAccessedDate\`)`,
    ).meta({ defaultText: "none: reads not counted" }),
  ),
};

/** The reference rows of `guard`. */
export const GUARD_FIELDS = contractOf(GUARD_SHAPE);

const WHAT = "an object { kubernetes, aws, namespaces, awsReadWithinDays }";

const GUARD = fields(GUARD_SHAPE, WHAT).transform(
  ({ kubernetes, aws, namespaces, awsReadWithinDays }) => ({
    kubernetes,
    aws,
    ...(namespaces && { namespaces }),
    ...(awsReadWithinDays !== undefined && { awsReadWithinDays }),
  }),
);

/** What the reference guard reads. */
export type GuardSpec = z.output<typeof GUARD>;

/** Today's order: the lists and numbers first, then the switches. */
const ORDER = ["namespaces", "awsReadWithinDays", "kubernetes", "aws"];

/** `guard` as the stack's key: every check on unless turned off (built once: it has no context). */
export const GUARD_KEY = nested(GUARD, ORDER, WHAT, {
  description: "the reference guard (see [Look before pruning](guard.md))",
  defaultText: "every check on",
}).transform((guard) => guard ?? { kubernetes: true, aws: true });
