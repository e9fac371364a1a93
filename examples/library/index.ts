/**
 * A Pulumi program of its own that declares rotated secrets with secret-rotation's components,
 * imported as a library (`secret-rotation/components`, the package's `exports`), not through
 * the secret-rotation program and its stack config.
 *
 * Which versions exist is plain code here: a value that decides which resources exist is never
 * an Output. Only the values are config, and secret. The namespace, the KMS key and the alarm's
 * actions are other resources' outputs: the components take them as `pulumi.Input`.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { RotatedSecret, RotationAlarm, Workload } from "secret-rotation/components";

const config = new pulumi.Config();
const environment = pulumi.getStack();

/**
 * Every version still in use, and the one workloads run. Rotate: add a version and make it
 * ACTIVE. Roll back: set ACTIVE to the previous one. Prune: remove a version nothing runs.
 */
const VERSIONS = ["20250101000000", "20250201000000"];
const ACTIVE = "20250201000000";
const PREVIOUS = VERSIONS.filter((v) => v < ACTIVE).pop();

const namespace = new k8s.core.v1.Namespace("payments", { metadata: { name: "payments" } });
const key = new aws.kms.Key("payments-secrets", {
  description: "Encrypts the payments secrets in Secrets Manager",
  enableKeyRotation: true,
});
const oncall = new aws.sns.Topic("payments-oncall");

// Each version: an AWS secret `<environment>/payments-db-<version>` and an immutable
// Kubernetes Secret `payments-db-<version>`; SESSION_KEY is generated once per version.
const db = new RotatedSecret("payments-db", {
  environment,
  namespace: namespace.metadata.name,
  awsKmsKeyId: key.arn,
  // Days this program keeps a superseded version (it prunes by hand, above): the AWS secrets'
  // `retention-days` tag, which the policy pack checks in production (docs/policy.md).
  retentionDays: 14,
  versions: VERSIONS.map((id) => ({
    id,
    values: { DB_PASSWORD: config.requireSecret(`dbPassword-${id}`) },
  })),
  activeVersion: ACTIVE,
  generate: { SESSION_KEY: { length: 64 } },
});

// A Workload the component declares: its container reads the active version through envFrom,
// and a rotation (a new ACTIVE) is a rolling update `pulumi up` waits for.
const api = new Workload("payments-api", {
  kind: "Deployment",
  namespace: namespace.metadata.name,
  container: { image: "registry.example.com/payments-api:1.4.0", port: 8080 },
  replicas: 2,
  links: [db.link()],
});

// A workload declared by hand: the helpers give the references to the active version's Secret.
new k8s.batch.v1.CronJob("payments-report", {
  metadata: { name: "payments-report", namespace: namespace.metadata.name },
  spec: {
    schedule: "0 6 * * *",
    jobTemplate: {
      spec: {
        template: {
          spec: {
            restartPolicy: "OnFailure",
            containers: [
              {
                name: "report",
                image: "registry.example.com/payments-report:2.0.1",
                envFrom: [db.envFrom()],
                env: [
                  {
                    name: "REPORT_DB_PASSWORD",
                    valueFrom: { secretKeyRef: db.secretKeyRef("DB_PASSWORD") },
                  },
                ],
              },
            ],
          },
        },
      },
    },
  },
});

// Paged when the error rate climbs after a rotation; the description names the rollback.
new RotationAlarm("payments-db", {
  environment,
  secret: db.secretName,
  activeVersion: ACTIVE,
  previousVersion: PREVIOUS,
  monitor: {
    namespace: "AWS/ApplicationELB",
    metricName: "HTTPCode_Target_5XX_Count",
    dimensions: { LoadBalancer: "app/payments/0123456789abcdef" },
    statistic: "Sum",
    threshold: 5,
    period: 60,
    evaluationPeriods: 3,
    alarmActions: [oncall.arn],
  },
  description: PREVIOUS
    ? `payments-db in ${environment} runs version ${ACTIVE}. If the rotation caused this, roll back: set ACTIVE to ${PREVIOUS} in examples/library/index.ts and run pulumi up.`
    : `payments-db in ${environment} runs version ${ACTIVE}; it has no previous version.`,
});

/** The active version's Secret, its key names (never a value) and the API's Deployment. */
export const activeSecret = db.kubernetesName();
export const keys = db.keys;
export const deployment = api.workloadName;
