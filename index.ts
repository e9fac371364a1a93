/**
 * secret-rotation: every rotation is a new immutable, timestamped version in AWS Secrets
 * Manager and Kubernetes; workloads reference exactly one version; old versions are pruned
 * after the retention age. Read config, validate it whole, declare, export.
 */
import * as pulumi from "@pulumi/pulumi";
import { readStackConfig, rotationNow } from "./components/config/read";
import { secretsOutput, workloadsOutput } from "./components/lifecycle/outputs";
import { planSecret } from "./components/lifecycle/plan";
import { RotatedSecret } from "./components/secrets/rotatedSecret";
import { Workload } from "./components/workloads/workload";

const now = rotationNow(pulumi.getStack());
// Throws one error listing every problem before anything is declared.
const config = readStackConfig(now);

const plans = config.secrets.map((secret) =>
  planSecret({
    name: secret.name,
    environment: config.environment,
    versioned: config.versioned,
    active: secret.active,
    versions: secret.versions.map((v) => v.id),
    keep: secret.keep,
    retentionDays: secret.retentionDays,
    now,
  }),
);

const rotated = new Map<string, RotatedSecret>();
config.secrets.forEach((secret, i) => {
  const plan = plans[i];
  void pulumi.log.info(
    `${secret.name}: active version ${plan.activeVersion} (${plan.activeName})` +
      (plan.previousVersion ? `, rollback target ${plan.previousVersion}` : ""),
  );
  for (const version of plan.expired) {
    void pulumi.log.warn(
      `${secret.name}: version ${version.version} expired on ${version.expiresAt} (retention ${secret.retentionDays} days) and is pruned; ` +
        `remove it from secret-rotation:secrets.${secret.name}.versions`,
    );
  }
  const declared = new Set(plan.declared);
  rotated.set(
    secret.name,
    new RotatedSecret(secret.name, {
      secretName: secret.name,
      environment: config.environment,
      namespace: config.namespace,
      versions: secret.versions.filter((v) => declared.has(v.id)),
      activeVersion: secret.active,
      generate: secret.generate,
      versioned: config.versioned,
      awsRecoveryWindowDays: config.awsRecoveryWindowDays,
      awsKmsKeyId: config.awsKmsKeyId,
    }),
  );
});

for (const workload of config.workloads) {
  new Workload(workload.name, {
    workload,
    namespace: config.namespace,
    links: workload.secrets.map((secret) => {
      const store = rotated.get(secret)!;
      return {
        secret,
        version: store.activeVersion,
        kubernetesName: store.activeKubernetesName,
      };
    }),
  });
}

/** Per secret: active and previous version, and every listed version with its state. */
export const secrets = secretsOutput(plans);

/** Per workload: its kind, and the Kubernetes Secret names (and versions) it references. */
export const workloads = workloadsOutput(config.workloads, plans);

/** The environment and namespace the stack wrote to. */
export const environment = config.environment;
export const namespace = config.namespace;
