/**
 * The AWS side of a version: a Secrets Manager secret and its value, the JSON object of the
 * version's keys. AWS is the store of record; every copy a workload reads waits for it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AWS_TAGS, MANAGED_BY, awsSecretName } from "../../core/names";

export interface AwsVersionArgs {
  /** The logical secret name. */
  secretName: string;
  /** The version id; undefined for the one unversioned secret of dev. */
  version?: string;
  /** The environment: the name prefix and a tag. */
  environment: string;
  /** The version's keys and values, sorted by key (secret). */
  entries: pulumi.Output<Record<string, string>>;
  /** Days AWS keeps a deleted secret recoverable: 0 or 7 to 30. */
  recoveryWindowDays: number;
  /**
   * Days a superseded version is kept: the `retention-days` tag (AWS_TAGS.retentionDays).
   * @default no tag
   */
  retentionDays?: number;
  /**
   * The stack versions are promoted from: the `promoted-from` tag (AWS_TAGS.promotedFrom).
   * @default no tag
   */
  promotedFrom?: string;
  /**
   * The KMS key that encrypts the secret.
   * @default the account's `aws/secretsmanager` key
   */
  kmsKeyId?: pulumi.Input<string>;
}

export interface AwsVersion {
  /** The secret's name, `<environment>/<secret>-<version>`: what an ExternalSecret extracts. */
  name: string;
  /** The secret's ARN. */
  arn: pulumi.Output<string>;
  /** The secret's value: what a copy depends on. */
  value: aws.secretsmanager.SecretVersion;
}

/** Declares the AWS secret `<role>-aws` and its value `<role>-aws-value` under `parent`. */
export function storeInAws(
  parent: pulumi.Resource,
  role: string,
  args: AwsVersionArgs,
): AwsVersion {
  const { secretName, version, environment } = args;
  const name = awsSecretName(environment, secretName, version);
  const secret = new aws.secretsmanager.Secret(
    `${role}-aws`,
    {
      name,
      description: version
        ? `Version ${version} of ${secretName} (${environment}), managed by ${MANAGED_BY}`
        : `${secretName} (${environment}, unversioned), managed by ${MANAGED_BY}`,
      recoveryWindowInDays: args.recoveryWindowDays,
      ...(args.kmsKeyId && { kmsKeyId: args.kmsKeyId }),
      tags: {
        environment,
        "managed-by": MANAGED_BY,
        secret: secretName,
        ...(version && { version }),
        ...(args.retentionDays !== undefined && {
          [AWS_TAGS.retentionDays]: String(args.retentionDays),
        }),
        ...(args.promotedFrom !== undefined && { [AWS_TAGS.promotedFrom]: args.promotedFrom }),
      },
    },
    { parent },
  );
  const value = new aws.secretsmanager.SecretVersion(
    `${role}-aws-value`,
    {
      secretId: secret.id,
      secretString: pulumi.secret(args.entries.apply((e) => JSON.stringify(e))),
    },
    { parent },
  );
  return { name, arn: secret.arn, value };
}
