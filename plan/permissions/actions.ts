/**
 * Which AWS API calls and Kubernetes requests the program makes, by the resource type it
 * declares and by the read the guard makes. The permissions (`iam.ts`, `rbac.ts`) are built
 * from these lists, and the coverage test checks them against what the program declares and
 * what the guard's real clients send.
 *
 * Sources (read, not assumed): terraform-provider-aws v6, which pulumi-aws 7.x wraps (7.48.0,
 * published 2026-09-22, came after the upgrade to v6.46.0, pulumi/pulumi-aws#6392; pulumi-aws
 * builds from its `upstream` submodule, which provider/go.mod `replace`s the module with, so the
 * exact release is that submodule's commit at the v7.48.0 tag)
 * - `internal/service/secretsmanager/secret.go`: Create calls CreateSecret (with Tags), then
 *   DescribeSecret until it exists; Read calls DescribeSecret and GetResourcePolicy; Update calls
 *   UpdateSecret when the description or KMS key changes; Delete calls DeleteSecret, then
 *   DescribeSecret until it is gone. Tags (`@Tags(identifierAttribute="id")`) change through
 *   TagResource / UntagResource. Replicas and `policy` are never set by the program, so
 *   ReplicateSecretToRegions, RemoveRegionsFromReplication, PutResourcePolicy and
 *   DeleteResourcePolicy are not needed.
 * - `internal/service/secretsmanager/secret_version.go`: Create calls PutSecretValue, then
 *   GetSecretValue; Read calls GetSecretValue; Delete calls UpdateSecretVersionStage for every
 *   label other than AWSCURRENT in state (AWSPREVIOUS after a dev stack's in-place rotation), then
 *   GetSecretValue until it is gone. Update runs only for `version_stages`, which the program
 *   never sets (so ListSecretVersionIds is not needed).
 * - `internal/service/cloudwatch/metric_alarm.go`: Create calls DescribeAlarms (the alarm must
 *   not exist) and PutMetricAlarm (with Tags); Read DescribeAlarms; Update PutMetricAlarm;
 *   Delete DeleteAlarms. Tags (`@Tags(identifierAttribute="arn")`) are read by the tagging
 *   interceptor with ListTagsForResource and changed with TagResource / UntagResource.
 * Secrets Manager: CreateSecret with tags also needs TagResource (API reference, CreateSecret,
 * "Required permissions"). ListSecrets takes no resource-level permission (Service
 * Authorization Reference, AWS Secrets Manager: ListSecrets has no resource type).
 *
 * The coverage test (tests/permissionsCoverage.test.ts) takes both the calls a type needs and
 * the policy it checks from these lists: it catches a new resource type, a new ARN shape and a
 * new guard call, not a new call of a listed type. Re-read the provider when upgrading it.
 */
import { EXTERNAL_KINDS, type ExternalKind } from "../../config/contract/workloadFields";
import { GUARD_KINDS, type GuardKind } from "../guard/references";

/** What an action applies to: a secret under the environment's prefix, an alarm, or any. */
export type ActionScope = "secret" | "alarm" | "any";

export interface ResourceActions {
  /** The Pulumi type token. */
  type: string;
  scope: Exclude<ActionScope, "any">;
  /** IAM actions, `service:Action`, sorted. */
  actions: readonly string[];
}

/** The AWS resource types the program declares, and the calls their provider makes. */
export const RESOURCE_ACTIONS: readonly ResourceActions[] = [
  {
    type: "aws:secretsmanager/secret:Secret",
    scope: "secret",
    actions: [
      "secretsmanager:CreateSecret",
      "secretsmanager:DeleteSecret",
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetResourcePolicy",
      "secretsmanager:TagResource",
      "secretsmanager:UntagResource",
      "secretsmanager:UpdateSecret",
    ],
  },
  {
    type: "aws:secretsmanager/secretVersion:SecretVersion",
    scope: "secret",
    actions: [
      "secretsmanager:GetSecretValue",
      "secretsmanager:PutSecretValue",
      "secretsmanager:UpdateSecretVersionStage",
    ],
  },
  {
    type: "aws:cloudwatch/metricAlarm:MetricAlarm",
    scope: "alarm",
    actions: [
      "cloudwatch:DeleteAlarms",
      "cloudwatch:DescribeAlarms",
      "cloudwatch:ListTagsForResource",
      "cloudwatch:PutMetricAlarm",
      "cloudwatch:TagResource",
      "cloudwatch:UntagResource",
    ],
  },
];

/**
 * The guard's AWS read (reads/aws.ts listStackSecrets): ListSecrets with a name filter, which
 * returns each entry's DeletedDate and LastAccessedDate.
 */
export const GUARD_LIST_ACTION = "secretsmanager:ListSecrets";

/**
 * With `guard.awsReadWithinDays`: DescribeSecret on the stack's secrets, as issue 20 asks for
 * the read-window check. Today's read takes `LastAccessedDate` from the ListSecrets entries, so
 * this statement is for a guard that confirms a date per secret; the deployer has the action
 * anyway (secret.go Read).
 */
export const GUARD_READ_WITHIN_ACTION = "secretsmanager:DescribeSecret";

/**
 * What Secrets Manager asks of the caller's KMS key when `awsKmsKeyId` names a customer managed
 * key: GenerateDataKey to encrypt a new value, Decrypt to read one (Secrets Manager User Guide,
 * "Secret encryption and decryption", Permissions for the KMS key). Each call comes through
 * Secrets Manager (`kms:ViaService`).
 */
export const KMS_WRITE_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"] as const;

/**
 * External Secrets' AWS Secrets Manager provider reads each extracted secret with
 * GetSecretValue (docs/external-secrets.md, IAM for the operator); Decrypt on a customer key.
 */
export const ESO_READ_ACTION = "secretsmanager:GetSecretValue";
export const ESO_KMS_ACTION = "kms:Decrypt";

/** A Kubernetes kind as RBAC names it: API group and plural resource. */
export interface KubeResource {
  apiGroup: string;
  resource: string;
}

/** The kinds the guard reads (client-node AppsV1Api, BatchV1Api, CoreV1Api in reads/cluster.ts). */
export const KUBE_RESOURCES: Readonly<Record<GuardKind, KubeResource>> = {
  Deployment: { apiGroup: "apps", resource: "deployments" },
  ReplicaSet: { apiGroup: "apps", resource: "replicasets" },
  StatefulSet: { apiGroup: "apps", resource: "statefulsets" },
  DaemonSet: { apiGroup: "apps", resource: "daemonsets" },
  Job: { apiGroup: "batch", resource: "jobs" },
  CronJob: { apiGroup: "batch", resource: "cronjobs" },
  Pod: { apiGroup: "", resource: "pods" },
};

/** reads/cluster.ts scanCluster lists every guarded kind (cluster-wide or per namespace). */
export const GUARD_LISTED: readonly GuardKind[] = GUARD_KINDS;

/** reads/workloadRead.ts readWorkloads reads each linked workload (`owner: external`) by name. */
export const LINKED_READ: readonly ExternalKind[] = EXTERNAL_KINDS;
