/**
 * The stack's config file as a whole: its own keys (declared in zod in stackFields.ts, and
 * re-exported here), the keys of other namespaces (a misspelled project namespace is refused,
 * a project field under another namespace warned about), and the JSON Schema of
 * `Pulumi.<stack>.yaml`.
 */
import { distance } from "fastest-levenshtein";
import { PROJECT } from "../../core/project";
import { type JsonSchema } from "../zod/vocabulary";
import { Problems } from "../../core/problems";
import { STACK_FIELDS, STACK_KEY_SCHEMAS, type StackKey } from "./stackFields";

export {
  DEFAULT_AWS_RECOVERY_WINDOW_DAYS,
  ENVIRONMENTS,
  type Environment,
  STACK_FIELDS,
  type StackFieldContext,
  type StackFields,
  type StackKey,
  parseEnvironment,
  stackFields,
} from "./stackFields";

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
    [`${PROJECT}:${name}`, STACK_KEY_SCHEMAS[name as StackKey]],
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
