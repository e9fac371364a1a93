/** The stack's own keys: `secret-rotation:<key>` in `Pulumi.<stack>.yaml`. */
import { distance } from "fastest-levenshtein";
import { PROJECT } from "../../core/project";
import { dns1123LabelProblem, kmsKeyProblem } from "../../config/rules";
import {
  type Infer,
  type JsonSchema,
  Problems,
  contract,
  documented,
  int,
  list,
  mapSchema,
  objectField,
  pulumiInteger,
} from "../../config/contract/kernel";
import {
  DEFAULT_DELIVERY,
  EXTERNAL_SECRETS_FIELDS,
  EXTERNAL_SECRETS_SCHEMA,
  deliveryField,
  parseExternalSecrets,
} from "../../config/contract/delivery";
import { GUARD_FIELDS, GUARD_SCHEMA, parseGuard } from "../../config/contract/guard";
import {
  PROMOTION_FIELDS,
  PROMOTION_SCHEMA,
  parsePromotion,
} from "../../config/contract/promotion";
import {
  DEFAULT_RETENTION_DAYS,
  MAX_RETENTION_DAYS,
  SECRET_FIELDS,
  SECRET_SCHEMA,
} from "../../config/contract/secret";
import { WORKLOAD_FIELDS, WORKLOAD_SCHEMA } from "../../config/contract/workload";

export const ENVIRONMENTS = ["dev", "staging", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
export const DEFAULT_AWS_RECOVERY_WINDOW_DAYS = 30;

/** Why a stack's own integer key refuses text such as " 7 " or "7.0" (kernel.ts pulumiInteger). */
const PULUMI_INTEGER_WHY = (key: string) =>
  `Pulumi.yaml declares ${PROJECT}:${key} as type integer, and the Pulumi CLI refuses any other text before the program runs`;

export const STACK_FIELDS = contract({
  environment: {
    presence: "default",
    defaultText: "the stack name",
    doc: "`dev`, `staging`, `production`",
    schema: { enum: [...ENVIRONMENTS] },
    parse: (p: Problems, path: string, value: unknown, stack: string): Environment => {
      const environment = value ?? stack;
      if (
        typeof environment !== "string" ||
        !(ENVIRONMENTS as readonly string[]).includes(environment)
      ) {
        const given = value === undefined ? `the stack name "${stack}"` : JSON.stringify(value);
        p.add(
          path,
          `${given} is not an environment; allowed: ${list(ENVIRONMENTS)} (default: the stack name; set ${PROJECT}:environment for another stack name)`,
        );
        return "staging";
      }
      return environment as Environment;
    },
  },
  namespace: {
    presence: "default",
    defaultText: "the environment",
    doc: "the Kubernetes namespace: a DNS-1123 label",
    schema: { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 63 },
    parse: (p: Problems, path: string, value: unknown, environment: string): string => {
      const namespace = value ?? environment;
      if (typeof namespace !== "string") {
        p.add(path, "must be a string (a Kubernetes namespace)");
        return environment;
      }
      const problem = dns1123LabelProblem(namespace);
      if (problem) p.add(path, problem);
      return namespace;
    },
  },
  retentionDays: int({
    min: 1,
    max: MAX_RETENTION_DAYS,
    default: DEFAULT_RETENTION_DAYS,
    allowed: `a whole number of days from 1 to ${MAX_RETENTION_DAYS} (default ${DEFAULT_RETENTION_DAYS})`,
    doc: `whole number 1–${MAX_RETENTION_DAYS}: how long a superseded version stays`,
    pulumiType: PULUMI_INTEGER_WHY("retentionDays"),
  }),
  awsRecoveryWindowDays: {
    presence: "default",
    defaultText: String(DEFAULT_AWS_RECOVERY_WINDOW_DAYS),
    doc: "0 (delete at once) or 7–30: AWS's recovery window for a pruned secret",
    schema: {
      anyOf: [
        { type: "integer", enum: [0] },
        { type: "integer", minimum: 7, maximum: 30 },
        { type: "string", pattern: "^([+-]?0+|[+]?0*([7-9]|[12]\\d|30))$" },
      ],
    },
    parse: (p: Problems, path: string, value: unknown): number => {
      const allowed = `0 (delete at once) or a whole number of days from 7 to 30 (default ${DEFAULT_AWS_RECOVERY_WINDOW_DAYS})`;
      const days = pulumiInteger(p, path, value, {
        min: 0,
        max: 30,
        fallback: DEFAULT_AWS_RECOVERY_WINDOW_DAYS,
        allowed,
        why: PULUMI_INTEGER_WHY("awsRecoveryWindowDays"),
      });
      if (days > 0 && days < 7) {
        p.add(path, `${days} is not allowed; ${allowed}`);
        return DEFAULT_AWS_RECOVERY_WINDOW_DAYS;
      }
      return days;
    },
  },
  awsKmsKeyId: {
    presence: "optional",
    defaultText: "the account's `aws/secretsmanager` key",
    doc: "a KMS key id, key ARN, `alias/<name>` or alias ARN that encrypts the AWS secrets",
    schema: { type: "string" },
    parse: (p: Problems, path: string, value: unknown): string | undefined => {
      if (value === undefined) return undefined;
      const problem = typeof value === "string" ? kmsKeyProblem(value) : "must be a string";
      if (problem) p.add(path, problem);
      return typeof value === "string" ? value : undefined;
    },
  },
  delivery: deliveryField(
    DEFAULT_DELIVERY,
    "how new versions reach the cluster: a Kubernetes Secret the program writes, or an ExternalSecret the External Secrets Operator syncs from AWS (see [Delivery through External Secrets](external-secrets.md))",
  ),
  externalSecrets: {
    presence: "optional",
    defaultText: "none (required when a secret uses `externalSecrets`)",
    doc: "the External Secrets Operator's store, and how long to wait for a sync",
    schema: EXTERNAL_SECRETS_SCHEMA,
    nested: { contract: EXTERNAL_SECRETS_FIELDS },
    parse: parseExternalSecrets,
  },
  secrets: {
    presence: "required",
    defaultText: "required (staging, production)",
    doc: "the secrets by name (a DNS-1123 subdomain of at most 63 characters)",
    schema: mapSchema(SECRET_SCHEMA),
    nested: { key: "<name>", contract: SECRET_FIELDS },
    // The map only: `parseStackConfig` parses each secret as a section of its own.
    parse: (p: Problems, path: string, value: unknown) =>
      objectField(p, path, value, "a map of secret name to secret"),
  },
  promotion: {
    presence: "optional",
    defaultText: "none",
    doc: "the staging gate (see [Staging before production](promotion.md))",
    schema: PROMOTION_SCHEMA,
    nested: { contract: PROMOTION_FIELDS },
    parse: parsePromotion,
  },
  guard: {
    presence: "default",
    defaultText: "every check on",
    doc: "the reference guard (see [Look before pruning](guard.md))",
    schema: GUARD_SCHEMA,
    nested: { contract: GUARD_FIELDS },
    parse: parseGuard,
  },
  workloads: {
    presence: "default",
    defaultText: "none",
    doc: "the workloads by name",
    schema: mapSchema(WORKLOAD_SCHEMA),
    nested: { key: "<name>", contract: WORKLOAD_FIELDS },
    // The map only: `parseStackConfig` parses each workload as a section of its own.
    parse: (p: Problems, path: string, value: unknown) =>
      objectField(p, path, value, "a map of workload name to workload"),
  },
});

export type StackFields = Infer<typeof STACK_FIELDS>;

/** A namespace that is a near miss of the project's: `secret_rotation`, `Secret-Rotation`. */
function isNearMiss(namespace: string): boolean {
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
  return squash(namespace) === squash(PROJECT) || distance(namespace, PROJECT) <= 3;
}

/**
 * Config under a namespace that is a near miss of the project's (`secret_rotation:`,
 * `secret-rotaton:`, `Secret-Rotation:`) is read by nobody: the program would see no secrets.
 */
export function checkNamespaces(p: Problems, otherKeys: readonly string[]): void {
  for (const key of [...otherKeys].sort()) {
    const namespace = key.split(":")[0];
    if (namespace === PROJECT || !key.includes(":")) continue;
    if (isNearMiss(namespace)) {
      p.list.push({
        path: "",
        key,
        message: `the namespace "${namespace}" looks like a misspelling of "${PROJECT}", so nothing reads this key; rename it to ${PROJECT}:${key.slice(namespace.length + 1)}`,
      });
    }
  }
}

/**
 * The config keys each provider the program uses reads itself: `kubernetes:namespace` is the
 * Kubernetes provider's default namespace, not a misplaced `secret-rotation:namespace`.
 * - kubernetes: pulumi-kubernetes provider/pkg/provider/provider.go kubeProvider.Configure
 *   (`vars["kubernetes:config:<name>"]`), and @pulumi/kubernetes 4.34.2 provider.d.ts
 *   ProviderArgs (clusterIdentifier);
 * - aws: @pulumi/aws 7.48.0 config/vars.d.ts, generated from pulumi-aws's schema
 *   `config.variables`;
 * - random: none (@pulumi/random 4.21.2 provider.d.ts ProviderArgs is empty).
 * Of these, only `kubernetes:namespace` has the name of a project field.
 */
export const PROVIDER_CONFIG_KEYS: Readonly<Record<string, readonly string[]>> = {
  kubernetes: [
    "alwaysRender",
    "cluster",
    "clusterIdentifier",
    "context",
    "deleteUnreachable",
    "enableConfigMapMutable",
    "enablePatchForce",
    "enableSecretMutable",
    "enableServerSideApply",
    "helmReleaseSettings",
    "kubeClientSettings",
    "kubeconfig",
    "namespace",
    "rejectUnknownResources",
    "renderYamlToDirectory",
    "skipUpdateUnreachable",
    "suppressDeprecationWarnings",
    "suppressHelmHookWarnings",
    "upsertExistingObjects",
  ],
  aws: [
    "accessKey",
    "allowedAccountIds",
    "assumeRoleWithWebIdentity",
    "assumeRoles",
    "customCaBundle",
    "defaultTags",
    "ec2MetadataServiceEndpoint",
    "ec2MetadataServiceEndpointMode",
    "endpoints",
    "forbiddenAccountIds",
    "httpProxy",
    "httpsProxy",
    "ignoreTags",
    "insecure",
    "maxRetries",
    "noProxy",
    "profile",
    "region",
    "retryMode",
    "s3UsEast1RegionalEndpoint",
    "s3UsePathStyle",
    "secretKey",
    "sharedConfigFiles",
    "sharedCredentialsFiles",
    "skipCredentialsValidation",
    "skipMetadataApiCheck",
    "skipRegionValidation",
    "skipRequestingAccountId",
    "stsRegion",
    "tagPolicyCompliance",
    "token",
    "tokenBucketRateLimiterCapacity",
    "useDualstackEndpoint",
    "useFipsEndpoint",
    "userAgents",
  ],
  random: [],
};

/**
 * Warnings for keys that are named like one of this project's fields but sit in another
 * namespace, farther from the project's than a near miss (`sceret-rotaiton:workloads`,
 * `aws:secrets`): nobody reads them, and the project's own key stays unset, so that, for
 * `workloads`, `pulumi up` would delete every workload. A key a provider reads itself
 * (`kubernetes:namespace`) is that provider's, and near misses are refused by `checkNamespaces`.
 */
export function namespaceWarnings(otherKeys: readonly string[]): string[] {
  const fields = Object.keys(STACK_FIELDS);
  const warnings: string[] = [];
  for (const key of [...otherKeys].sort()) {
    const at = key.indexOf(":");
    if (at < 0) continue;
    const namespace = key.slice(0, at);
    const name = key.slice(at + 1);
    if (namespace === PROJECT || isNearMiss(namespace) || !fields.includes(name)) continue;
    const provider = Object.hasOwn(PROVIDER_CONFIG_KEYS, namespace)
      ? PROVIDER_CONFIG_KEYS[namespace]
      : undefined;
    if (provider?.includes(name)) continue;
    const reader = provider ? `the ${namespace} provider does not read it and ` : "";
    warnings.push(
      `config key ${key}: "${name}" is a field of ${PROJECT}, but this key is in the namespace "${namespace}": ${reader}${PROJECT} reads only ${PROJECT}:${name}, so as written it is ignored; if it is meant for this stack, rename it to ${PROJECT}:${name}`,
    );
  }
  return warnings;
}

/**
 * The JSON Schema of a whole `Pulumi.<stack>.yaml`: the project's keys as the contract
 * declares them, written `secret-rotation:<name>` or `<name>` (the CLI gives a key without a
 * namespace the project's: pulumi v3.248.0 loaders.go stackConfigNamespacedWithProject), any
 * other provider's keys (`aws:region`) as they come, and no unknown key in the project
 * namespace, so an editor flags `secret-rotation:retentionDay` or `retentionDay` as it is typed.
 */
export function stackFileSchema(): JsonSchema {
  const names = Object.keys(STACK_FIELDS);
  const keys = [...names.map((name) => `${PROJECT}:${name}`), ...names];
  const schemas = Object.entries(STACK_FIELDS).flatMap(([name, f]): [string, JsonSchema][] => [
    [`${PROJECT}:${name}`, documented(f)],
    // The same schema, by reference (a JSON Pointer: `/` and `~` are the only escapes).
    [
      name,
      {
        $ref: `#/properties/config/properties/${PROJECT}:${name}`,
        description: `${PROJECT}:${name} written without the namespace: ${f.doc}`,
      },
    ],
  ]);
  return {
    // Draft-07: the draft every editor's YAML language server supports; the schema uses
    // nothing newer (if/then, propertyNames, const).
    $schema: "http://json-schema.org/draft-07/schema#",
    title: `Pulumi.<stack>.yaml of ${PROJECT}`,
    type: "object",
    properties: {
      config: {
        type: "object",
        description: `the stack's config: ${PROJECT}'s keys, and the providers' (\`aws:region\`)`,
        properties: Object.fromEntries(schemas),
        propertyNames: {
          anyOf: [{ enum: keys }, { pattern: ":", not: { pattern: `^${PROJECT}:` } }],
        },
      },
      secretsprovider: { type: "string", description: "the Pulumi CLI's secrets provider" },
      encryptedkey: { type: "string", description: "the Pulumi CLI's encrypted data key" },
      encryptionsalt: { type: "string", description: "the Pulumi CLI's passphrase salt" },
      environment: {
        type: "array",
        items: { type: "string" },
        description: "the Pulumi ESC environments the stack imports",
      },
    },
  };
}
