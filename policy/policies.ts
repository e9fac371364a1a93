/**
 * The policies of the secret-rotation pack (docs/policy.md). Each is a stack policy: it sees
 * every resource of the stack with its parent (resources.ts), so it can tell what a
 * `RotatedSecret` wrote and which environment it wrote for. Each is mandatory unless the
 * stack's policy config says otherwise, and each takes `environments`: the environments
 * (the `environment` tag of the `RotatedSecret`'s AWS secrets) it applies to.
 *
 * This file declares the policies only; `index.ts` serves them (a `PolicyPack` starts a gRPC
 * server when constructed: @pulumi/policy v1.21.0 policy.ts), so tests import this file.
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { AWS_TAGS } from "./names";
import {
  KUBERNETES_SECRET_TYPE,
  LABELS,
  UNKNOWN,
  dig,
  isVersionId,
  label,
  metadataName,
  rotatedSecrets,
  stackEnvironments,
  type StackResource,
} from "./resources";
import { isWorkload, referencedSecrets } from "./workloads";

type Report = (message: string, urn?: string) => void;
type Config = { environments: string[] } & Record<string, unknown>;

const STAGING_AND_PRODUCTION = ["staging", "production"];
const PRODUCTION = ["production"];

/** The schema of `environments`, with its default. */
function environmentsSchema(defaults: string[]): PolicyConfigSchema["properties"][string] {
  return {
    type: "array",
    items: { type: "string" },
    default: defaults,
    description: "The environments (the RotatedSecret's `environment`) the policy applies to.",
  };
}

/**
 * A stack policy from a check: `check` runs with the config (defaults filled in: the engine
 * applies a schema's defaults, and a unit test may pass none) and the stack's resources.
 */
function policy(
  name: string,
  description: string,
  defaults: Config,
  schema: PolicyConfigSchema["properties"],
  check: (resources: StackResource[], config: Config, report: Report) => void,
): StackValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: "mandatory",
    configSchema: {
      properties: { environments: environmentsSchema(defaults.environments), ...schema },
    },
    validateStack: (args, reportViolation) => {
      const config = { ...defaults, ...args.getConfig<Partial<Config>>() } as Config;
      check(args.resources, config, reportViolation);
    },
  };
}

/** The `RotatedSecret`s of the stack written for one of `environments`. */
function rotatedIn(resources: StackResource[], environments: readonly string[]) {
  return rotatedSecrets(resources).filter((s) => environments.includes(s.environment));
}

/**
 * Where a copy keeps what the Secret gets: a Secret holds it itself; an ExternalSecret has
 * External Secrets write it (`spec.target.immutable`, `spec.target.template.metadata.labels`:
 * external-secrets.io/v1 ExternalSecretTarget; components/delivery/manifests.ts writes both).
 */
function secretShape(copy: StackResource): { immutable: unknown; version: unknown; kind: string } {
  if (copy.type === KUBERNETES_SECRET_TYPE) {
    return {
      immutable: dig(copy.props, "immutable"),
      version: label(copy, LABELS.version),
      kind: "Kubernetes Secret",
    };
  }
  return {
    immutable: dig(copy.props, "spec", "target", "immutable"),
    version: dig(copy.props, "spec", "target", "template", "metadata", "labels", LABELS.version),
    kind: "ExternalSecret",
  };
}

export const immutableVersionedSecrets = policy(
  "rotated-secret-immutable",
  "A Kubernetes Secret written by RotatedSecret (itself, or by External Secrets from an ExternalSecret) is immutable and carries a version label.",
  { environments: STAGING_AND_PRODUCTION },
  {},
  (resources, config, report) => {
    for (const s of rotatedIn(resources, config.environments)) {
      for (const copy of s.copies) {
        const { immutable, version, kind } = secretShape(copy);
        const where = `${s.environment}: ${kind} ${copy.name} of RotatedSecret ${s.component.name}`;
        const field = kind === "ExternalSecret" ? "spec.target.immutable" : "immutable";
        const labels = kind === "ExternalSecret" ? " in spec.target.template.metadata.labels" : "";
        if (immutable !== UNKNOWN && immutable !== true) {
          report(
            `${where} is not immutable (${field}: ${String(immutable)}); allowed: ${field}: true (RotatedSecret versioned: true)`,
            copy.urn,
          );
        }
        if (version !== UNKNOWN && !isVersionId(version)) {
          report(
            `${where} has no ${LABELS.version} label${labels} with a version id (YYYYMMDDHHMMSS); it has ${version === undefined ? "none" : JSON.stringify(version)}`,
            copy.urn,
          );
        }
      }
    }
  },
);

export const timestampedNames = policy(
  "timestamped-secret-name",
  "Staging and production Secrets carry a timestamped name: <secret>-<YYYYMMDDHHMMSS>.",
  { environments: STAGING_AND_PRODUCTION },
  {},
  (resources, config, report) => {
    for (const s of rotatedIn(resources, config.environments)) {
      const secret = s.component.name;
      const named: [StackResource, unknown, string][] = [
        ...s.copies.map((c): [StackResource, unknown, string] => [
          c,
          metadataName(c),
          `${secret}-`,
        ]),
        ...s.awsSecrets.map((a): [StackResource, unknown, string] => [
          a,
          dig(a.props, "name"),
          `${s.environment}/${secret}-`,
        ]),
      ];
      for (const [r, name, prefix] of named) {
        if (name === UNKNOWN) continue;
        const ok =
          typeof name === "string" &&
          name.startsWith(prefix) &&
          isVersionId(name.slice(prefix.length));
        if (!ok) {
          report(
            `${s.environment}: ${r.type} ${r.name} of RotatedSecret ${secret} is named ${JSON.stringify(name)}; allowed: ${prefix}<YYYYMMDDHHMMSS> (RotatedSecret versioned: true)`,
            r.urn,
          );
        }
      }
    }
  },
);

/**
 * Promotion is read from the `promoted-from` tag `RotatedSecret` writes on each AWS secret
 * (`promotedFrom`; the program passes `promotion.fromStack`). Not from the StackReference the
 * program reads the source stack through: a StackReference is a read resource
 * (@pulumi/pulumi v3.248.0 sdk/nodejs/stackReference.ts:58-67 passes `id`, and
 * sdk/nodejs/resource.ts:588-596 reads a resource with an `id`), the engine keeps read
 * resources apart (pkg/resource/deploy/step_executor.go:571-578: OpRead states go to
 * `reads`, others to `news`) and a stack policy sees `news` only (step_generator.go:3227-3307
 * AnalyzeResources), so no policy ever sees one (pulumi/pulumi#3950, open).
 */
export const productionPromotion = policy(
  "production-promotion",
  "A production stack with rotated secrets promotes from another stack: every AWS secret of a RotatedSecret carries a non-empty promoted-from tag (promotion.fromStack).",
  { environments: PRODUCTION },
  {},
  (resources, config, report) => {
    for (const s of rotatedIn(resources, config.environments)) {
      for (const aws of s.awsSecrets) {
        const tag = dig(aws.props, "tags", AWS_TAGS.promotedFrom);
        if (tag === UNKNOWN || (typeof tag === "string" && tag.trim() !== "")) continue;
        const found =
          tag === undefined ? "no promoted-from tag" : `promoted-from ${JSON.stringify(tag)}`;
        report(
          `${s.environment}: AWS secret ${aws.name} of RotatedSecret ${s.component.name} has ${found}: this stack promotes from no stack; allowed: a promoted-from tag naming the source stack (set promotion.fromStack, or RotatedSecret promotedFrom)`,
          aws.urn,
        );
      }
    }
  },
);

export const productionRetention = policy(
  "production-retention",
  "Retention in production is at least 14 days: each RotatedSecret's AWS secret carries a retention-days tag of at least minimumDays.",
  { environments: PRODUCTION, minimumDays: 14 },
  {
    minimumDays: {
      type: "integer",
      minimum: 1,
      default: 14,
      description: "The shortest retention allowed, in days.",
    },
  },
  (resources, config, report) => {
    const minimum = Number(config.minimumDays);
    for (const s of rotatedIn(resources, config.environments)) {
      for (const aws of s.awsSecrets) {
        const tag = dig(aws.props, "tags", AWS_TAGS.retentionDays);
        if (tag === UNKNOWN) continue;
        const days = typeof tag === "string" && /^\d+$/.test(tag) ? Number(tag) : undefined;
        if (days === undefined || days < minimum) {
          const found =
            tag === undefined
              ? "no retention-days tag (set RotatedSecret retentionDays)"
              : `retention-days ${JSON.stringify(tag)}`;
          report(
            `${s.environment}: AWS secret ${aws.name} of RotatedSecret ${s.component.name} has ${found}; allowed: a whole number of days of at least ${minimum}`,
            aws.urn,
          );
        }
      }
    }
  },
);

export const noUnversionedReferences = policy(
  "no-unversioned-secret-reference",
  "No workload references an unversioned Secret in staging or production.",
  { environments: STAGING_AND_PRODUCTION, unversionedSecrets: [] },
  {
    unversionedSecrets: {
      type: "array",
      items: { type: "string" },
      default: [],
      description:
        "More Secret names that are unversioned (for instance rotated by another stack).",
    },
  },
  (resources, config, report) => {
    const envs = [...stackEnvironments(resources)].filter((e) => config.environments.includes(e));
    if (envs.length === 0) return;
    // Unversioned: a rotated secret's logical name (the dev copy's name), a Secret that
    // RotatedSecret labels without a version, or one the config names.
    const unversioned = new Set((config.unversionedSecrets as string[] | undefined) ?? []);
    for (const s of rotatedSecrets(resources)) unversioned.add(s.component.name);
    for (const r of resources) {
      if (r.type !== "kubernetes:core/v1:Secret" || label(r, LABELS.secret) === undefined) continue;
      const name = metadataName(r);
      if (typeof name === "string" && label(r, LABELS.version) === undefined) unversioned.add(name);
    }
    for (const workload of resources.filter((r) => isWorkload(r.type))) {
      const bad = referencedSecrets(workload).filter((n) => unversioned.has(n));
      if (bad.length > 0) {
        report(
          `${envs.join(", ")}: ${workload.type} ${workload.name} references the unversioned Secret ${bad.join(", ")}; allowed: a versioned Secret <secret>-<YYYYMMDDHHMMSS> (RotatedSecret link(), envFrom(), secretKeyRef())`,
          workload.urn,
        );
      }
    }
  },
);

/** Every policy of the pack. */
export const policies: StackValidationPolicy[] = [
  immutableVersionedSecrets,
  timestampedNames,
  productionPromotion,
  productionRetention,
  noUnversionedReferences,
];
