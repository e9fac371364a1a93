/**
 * `npm run permissions -- <stack>`: what the program needs, computed from the stack's config as
 * the CLI hands it over (the flat `project:key` map `offline/stackFiles.ts` reads from the stack
 * file). The config is validated with the program's own parser, so a stack `pulumi up` would
 * refuse is refused here too, with the same errors. Pure: no file, no network.
 */
import { PROJECT } from "../../core/project";
import { isOwned } from "../../config/contract/workload";
import { parseStackConfig } from "../../config/parse";
import { decode } from "../../config/read";
import type { StackSpec } from "../../config/types";
import {
  type IamInputs,
  type PolicyDocument,
  deployerPolicy,
  externalSecretsPolicy,
  previewPolicy,
} from "./iam";
import { DEFAULT_SUBJECT, type KubeObject, type RbacSubject, guardRbac } from "./rbac";

export {
  parseSubject,
  parseNamePrefix,
  DEFAULT_SUBJECT,
  RBAC_NAME_PREFIX,
  type RbacSubject,
  type KubeObject,
} from "./rbac";
export type { PolicyDocument, PolicyStatement } from "./iam";
export { secretsArn, alarmsArn, kmsKeyResource } from "./iam";
export * from "./actions";

/** What `--json` prints. */
export interface StackPermissions {
  deployerPolicy: PolicyDocument;
  /** The live preview's read-only role: the guard's reads alone (docs/permissions.md). */
  previewPolicy: PolicyDocument;
  guardRbac: KubeObject[];
  externalSecretsPolicy?: PolicyDocument;
}

export interface PermissionOptions {
  /** The AWS account id; default: `aws:allowedAccountIds` when it names one, else `*`. */
  account?: string;
  /** Who runs the program in the cluster; default DEFAULT_SUBJECT. */
  subjects?: readonly RbacSubject[];
  /** The RBAC objects' name prefix; default RBAC_NAME_PREFIX (`<prefix>-<stack>`). */
  name?: string;
  /** The clock the config is validated at (version ids may not be in the future). */
  now: Date;
}

/** What the text output says beside the documents: where each one goes. */
export interface PermissionNotes {
  notes: string[];
}

/** The account the policies name: the option, else a single `aws:allowedAccountIds`, else `*`. */
function accountOf(config: Readonly<Record<string, string>>, option?: string): string {
  if (option !== undefined) {
    if (!/^\d{12}$/.test(option)) {
      throw new Error(`--account ${JSON.stringify(option)}: an AWS account id is 12 digits`);
    }
    return option;
  }
  const allowed = config["aws:allowedAccountIds"];
  const ids = allowed === undefined ? undefined : decode(allowed);
  return Array.isArray(ids) && ids.length === 1 && typeof ids[0] === "string" ? ids[0] : "*";
}

/** The stack's validated config, values left as the placeholders they are offline. */
export function permissionSpec(
  stack: string,
  config: Readonly<Record<string, string>>,
  now: Date,
): StackSpec<string> {
  const prefix = `${PROJECT}:`;
  const raw: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const otherKeys: string[] = [];
  for (const key of Object.keys(config).sort()) {
    if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = decode(config[key]);
    else otherKeys.push(key);
  }
  const awsRegion = config["aws:region"];
  return parseStackConfig(
    raw,
    { stack, now, otherKeys, ...(awsRegion && { awsRegion }) },
    (value) => value,
  );
}

/** The permissions a validated stack needs, and where each document goes. */
export function permissionsOf(
  spec: StackSpec<unknown>,
  config: Readonly<Record<string, string>>,
  options: Omit<PermissionOptions, "now">,
): StackPermissions & PermissionNotes {
  const region = config["aws:region"] || "*";
  const account = accountOf(config, options.account);
  const usesEso =
    spec.externalSecrets !== undefined ||
    spec.secrets.some((s) => s.delivery === "externalSecrets");
  const inputs: IamInputs = {
    environment: spec.environment,
    region,
    account,
    hasSecrets: spec.secrets.length > 0,
    monitored: spec.secrets.some((s) => s.monitor !== undefined),
    ...(spec.awsKmsKeyId !== undefined && { awsKmsKeyId: spec.awsKmsKeyId }),
    guardAws: spec.versioned && spec.guard.aws,
    ...(spec.guard.awsReadWithinDays !== undefined && {
      awsReadWithinDays: spec.guard.awsReadWithinDays,
    }),
    ...(usesEso && { externalSecrets: { region: spec.externalSecrets?.store?.region ?? region } }),
  };
  const linked = spec.workloads.filter((w) => !isOwned(w));
  const rbac = guardRbac({
    stack: spec.stack,
    ...(options.name !== undefined && { prefix: options.name }),
    guardKubernetes: spec.versioned && spec.guard.kubernetes,
    ...(spec.guard.namespaces && {
      namespaces: [...new Set([...spec.guard.namespaces, spec.namespace])].sort(),
    }),
    linkedNamespaces: [...new Set(linked.map((w) => ("namespace" in w ? w.namespace : "")))],
    subjects:
      options.subjects && options.subjects.length > 0 ? options.subjects : [DEFAULT_SUBJECT],
  });
  const eso = externalSecretsPolicy(inputs);
  return {
    deployerPolicy: deployerPolicy(inputs),
    previewPolicy: previewPolicy(inputs),
    guardRbac: rbac,
    ...(eso && { externalSecretsPolicy: eso }),
    notes: notesFor(spec, config, { region, account, rbac, eso: eso !== undefined }),
  };
}

function notesFor(
  spec: StackSpec<unknown>,
  config: Readonly<Record<string, string>>,
  f: { region: string; account: string; rbac: KubeObject[]; eso: boolean },
): string[] {
  const notes: string[] = [];
  if (f.region === "*") notes.push("aws:region is not set: the ARNs name every region (*)");
  if (f.account === "*") {
    notes.push("the account is not known: the ARNs name any account (*); pass --account <id>");
  }
  const roles = config["aws:assumeRoles"] ? decode(config["aws:assumeRoles"]) : undefined;
  if (Array.isArray(roles) && roles.length > 0) {
    notes.push(
      `aws:assumeRoles: attach the deployer's policy to the last role; each identity before it needs sts:AssumeRole on the next role (${roles.length} in the chain)`,
    );
  }
  if (!spec.versioned) notes.push("a dev stack: the reference guard does not run");
  if (f.rbac.length === 0) notes.push("the program reads nothing in the cluster: no RBAC");
  if (f.eso && spec.externalSecrets?.store?.role) {
    notes.push(
      `externalSecrets.store.role: attach the operator's policy to ${spec.externalSecrets.store.role}; ESO's own identity needs sts:AssumeRole on it`,
    );
  }
  return notes;
}
