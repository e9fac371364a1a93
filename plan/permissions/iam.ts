/**
 * The IAM policies a stack needs, from its parsed config: the deployer's (what `pulumi up`
 * and the guard call) and, with External Secrets, the operator's read-only one. Every action
 * is named (no wildcard action); Secrets Manager actions apply only to the environment's
 * secrets, `ListSecrets` alone to `*`, alarms only to the program's alarm names.
 */
import { alarmName } from "../../components/monitoring/alarmText";
import { awsSecretName } from "../../core/names";
import {
  ESO_KMS_ACTION,
  ESO_READ_ACTION,
  GUARD_LIST_ACTION,
  GUARD_READ_WITHIN_ACTION,
  KMS_WRITE_ACTIONS,
  RESOURCE_ACTIONS,
  type ResourceActions,
} from "./actions";

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/** What the policies are computed from: the stack's parsed config and where it writes. */
export interface IamInputs {
  environment: string;
  /** `aws:region`, or `*` when the stack does not set it. */
  region: string;
  /** The account id, or `*` when it is not known. */
  account: string;
  /** Whether the stack declares any secret (and so AWS secrets). */
  hasSecrets: boolean;
  /** Whether any secret has `monitor` (a CloudWatch alarm per secret). */
  monitored: boolean;
  awsKmsKeyId?: string;
  /** Whether the guard lists AWS (a versioned stack with `guard.aws` on). */
  guardAws: boolean;
  awsReadWithinDays?: number;
  /** With External Secrets: the region the store reads (`store.region`, else `aws:region`). */
  externalSecrets?: { region: string };
}

/** The ARN partition of a region (`*` when unknown: the commercial one). */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** `arn:<partition>:secretsmanager:<region>:<account>:secret:<environment>/*`. */
export function secretsArn(i: Pick<IamInputs, "environment" | "region" | "account">): string {
  // Secrets Manager appends `-` and six random characters to a secret's ARN: the prefix with
  // `*` matches every version's secret and nothing outside the environment.
  const prefix = awsSecretName(i.environment, "*");
  return `arn:${partitionOf(i.region)}:secretsmanager:${i.region}:${i.account}:secret:${prefix}`;
}

/** `arn:<partition>:cloudwatch:<region>:<account>:alarm:secret-rotation/<environment>/*`. */
export function alarmsArn(i: Pick<IamInputs, "environment" | "region" | "account">): string {
  return `arn:${partitionOf(i.region)}:cloudwatch:${i.region}:${i.account}:alarm:${alarmName(i.environment, "*")}`;
}

/**
 * The KMS key `awsKmsKeyId` names, as a policy resource: a key ARN as given; a key id in the
 * stack's account and region; an alias (name or ARN) as any key carrying that alias
 * (`kms:ResourceAliases`), since a policy cannot name a key by its alias.
 */
export function kmsKeyResource(
  keyId: string,
  region: string,
  account: string,
): { resource: string; aliases?: string[] } {
  const arn = /^arn:([^:]+):kms:([^:]*):([^:]*):(key|alias)\/(.+)$/.exec(keyId);
  if (arn) {
    const [, partition, r, a, kind, name] = arn;
    if (kind === "key") return { resource: keyId };
    return { resource: `arn:${partition}:kms:${r}:${a}:key/*`, aliases: [`alias/${name}`] };
  }
  const base = `arn:${partitionOf(region)}:kms:${region}:${account}:key/`;
  if (keyId.startsWith("alias/")) return { resource: `${base}*`, aliases: [keyId] };
  return { resource: `${base}${keyId}` };
}

/** The KMS statement: only through Secrets Manager in the stack's region. */
function kmsStatement(
  sid: string,
  actions: string[],
  keyId: string,
  region: string,
  account: string,
) {
  const key = kmsKeyResource(keyId, region, account);
  const via = `secretsmanager.${region}.amazonaws.com`;
  const statement: PolicyStatement = {
    Sid: sid,
    Effect: "Allow",
    Action: actions,
    Resource: key.resource,
    Condition: {
      [region === "*" ? "StringLike" : "StringEquals"]: { "kms:ViaService": via },
      ...(key.aliases && { "ForAnyValue:StringEquals": { "kms:ResourceAliases": key.aliases } }),
    },
  };
  return statement;
}

const actionsOf = (scope: ResourceActions["scope"]) =>
  [...new Set(RESOURCE_ACTIONS.filter((r) => r.scope === scope).flatMap((r) => r.actions))].sort();

/** What the guard calls in AWS: names and dates, never a value. */
function guardStatements(i: IamInputs): PolicyStatement[] {
  if (!i.guardAws) return [];
  // ListSecrets has no resource-level permission: it is the one action on `*`.
  const statements: PolicyStatement[] = [
    { Sid: "GuardListSecrets", Effect: "Allow", Action: [GUARD_LIST_ACTION], Resource: "*" },
  ];
  if (i.awsReadWithinDays !== undefined) {
    statements.push({
      Sid: "GuardReadWithinDays",
      Effect: "Allow",
      Action: [GUARD_READ_WITHIN_ACTION],
      Resource: secretsArn(i),
    });
  }
  return statements;
}

/**
 * The read-only role of the live preview (.github/workflows/preview.yml, `AWS_READONLY_ROLE_ARN`):
 * what a default `pulumi preview` (no refresh) calls in AWS. The provider diffs without a call
 * and previews a create or an update without one; the program's guard lists the secrets. So:
 * the guard's statements alone, and never an action that reads a value (`GetSecretValue`): the
 * job runs a pull request's code, which could print any value the role can read.
 * `sts:GetCallerIdentity`, which the provider calls when it starts, needs no grant.
 */
export function previewPolicy(i: IamInputs): PolicyDocument {
  return { Version: "2012-10-17", Statement: guardStatements(i) };
}

/** The deployer's policy: what `pulumi preview`/`up` and the guard call in AWS. */
export function deployerPolicy(i: IamInputs): PolicyDocument {
  const statements: PolicyStatement[] = [];
  if (i.hasSecrets) {
    statements.push({
      Sid: "SecretVersions",
      Effect: "Allow",
      Action: actionsOf("secret"),
      Resource: secretsArn(i),
    });
  }
  statements.push(...guardStatements(i));
  if (i.hasSecrets && i.awsKmsKeyId) {
    statements.push(
      kmsStatement("SecretsKmsKey", [...KMS_WRITE_ACTIONS], i.awsKmsKeyId, i.region, i.account),
    );
  }
  if (i.monitored) {
    statements.push({
      Sid: "RotationAlarms",
      Effect: "Allow",
      Action: actionsOf("alarm"),
      Resource: alarmsArn(i),
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

/** External Secrets' read-only policy: GetSecretValue on the environment's secrets only. */
export function externalSecretsPolicy(i: IamInputs): PolicyDocument | undefined {
  if (!i.externalSecrets) return undefined;
  const region = i.externalSecrets.region;
  const statements: PolicyStatement[] = [
    {
      Sid: "ReadEnvironmentSecrets",
      Effect: "Allow",
      Action: [ESO_READ_ACTION],
      Resource: secretsArn({ ...i, region }),
    },
  ];
  if (i.awsKmsKeyId) {
    statements.push(
      kmsStatement("DecryptWithKey", [ESO_KMS_ACTION], i.awsKmsKeyId, region, i.account),
    );
  }
  return { Version: "2012-10-17", Statement: statements };
}
