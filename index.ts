/**
 * secret-rotation: every rotation is a new immutable, timestamped version in AWS Secrets
 * Manager and Kubernetes; workloads reference exactly one version (a canary Deployment may
 * test one more); old versions are pruned after the retention age. Read config, validate it
 * whole, pass the staging gate, declare, export.
 *
 * The program is an async function (Pulumi awaits it and exports what it returns) because the
 * staging gate must read the staging stack before the first resource is declared.
 */
import * as pulumi from "@pulumi/pulumi";
import { readStackConfig, rotationNow } from "./components/config/read";
import { canariedSecret } from "./components/lifecycle/canary";
import { secretsOutput, workloadsOutput } from "./components/lifecycle/outputs";
import { planSecret } from "./components/lifecycle/plan";
import { RotationAlarm } from "./components/monitoring/rotationAlarm";
import { enforceStagingGate } from "./components/promotion/stagingGate";
import { RotatedSecret } from "./components/secrets/rotatedSecret";
import { Workload } from "./components/workloads/workload";

export = async () => {
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
      canary: secret.canary,
      keys: secret.keys,
      retentionDays: secret.retentionDays,
      now,
    }),
  );

  // Refuses versions staging has not run, before any resource but the StackReference.
  const promotion = await enforceStagingGate(config, now);

  const rotated = new Map<string, RotatedSecret>();
  config.secrets.forEach((secret, i) => {
    const plan = plans[i];
    void pulumi.log.info(
      `${secret.name}: active version ${plan.activeVersion} (${plan.activeName})` +
        (plan.previousVersion ? `, rollback target ${plan.previousVersion}` : "") +
        (secret.canary ? `, canary ${secret.canary.version} at ${secret.canary.percent}%` : ""),
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
    if (secret.monitor) {
      new RotationAlarm(secret.name, {
        stack: config.stack,
        environment: config.environment,
        secret: secret.name,
        activeVersion: plan.activeVersion,
        previousVersion: plan.previousVersion,
        canary: secret.canary,
        monitor: secret.monitor,
      });
    }
  });

  for (const workload of config.workloads) {
    const canarySecret = canariedSecret(workload, config.secrets);
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
      ...(canarySecret?.canary && {
        canary: {
          secret: canarySecret.name,
          version: canarySecret.canary.version,
          kubernetesName: rotated.get(canarySecret.name)!.kubernetesNames[
            canarySecret.canary.version
          ],
          percent: canarySecret.canary.percent,
        },
      }),
    });
  }

  return {
    /** Per secret: active, previous and canary version, key names, every version's state. */
    secrets: secretsOutput(plans),
    /** Per workload: its kind, the Secret names (and versions) it references, its canary. */
    workloads: workloadsOutput(config.workloads, plans),
    /** The staging gate's verdict on every active and canary version, or null without one. */
    promotion,
    /** The environment and namespace the stack wrote to. */
    environment: config.environment,
    namespace: config.namespace,
  };
};
