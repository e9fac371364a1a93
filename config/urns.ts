/**
 * Every resource the program declares has a URN; two with one URN fail `pulumi up`.
 *
 * Pulumi v3 names a resource `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, where
 * the qualified type is the parent's qualified type, `$`, and the resource's own type
 * (sdk/go/common/resource/urn/urn.go New; the parent's name is not part of it). The engine
 * refuses a second registration of a URN: pkg/resource/deploy/step_generator.go
 * stepGenerator.generateURN (used by GenerateSteps and GenerateReadSteps) keeps `sg.urns` and
 * bails with pkg/diag GetDuplicateResourceURNError, "Duplicate resource URN '...'; try giving
 * it a unique name" (pulumi v3.248.0). Children are named by joining config names with `-`, so two different
 * configs can build one name: secret `a` generating key `b-20261110100000-x` and secret
 * `a-20261110100000-b` generating `x`, both at version 20261110100000, each declare the
 * RandomPassword `a-20261110100000-b-x-generated` under a RotatedSecret. That is refused
 * here, before any resource, naming both config paths.
 *
 * The names mirror the components: secrets/rotatedSecret.ts (generators), secrets/awsStore.ts
 * (`<role>-aws`, `<role>-aws-value`), secrets/versionCopy.ts (the copy), monitoring/
 * rotationAlarm.ts (`<name>-alarm`), delivery/awsSecretStore.ts (`<name>-store`),
 * workloads/workload.ts and workloads/linkedWorkload.ts.
 */
import { COPY_RESOURCES } from "../components/secrets/versionCopy";
import { type Problems, join } from "../core/problems";
import { isOwned } from "./contract/workload";
import type { StackSpec } from "./types";

/** One resource the program will declare, and the config path it comes from. */
export interface DeclaredName {
  /** The qualified type: parent types and the own type joined by `$`. */
  type: string;
  name: string;
  /** The `pulumi config set --path` path that names it. */
  path: string;
}

const SECRET = "secret-rotation:secrets:RotatedSecret";
const ALARM = "secret-rotation:monitoring:RotationAlarm";
const STORE = "secret-rotation:delivery:AwsSecretStore";
const WORKLOAD = "secret-rotation:workloads:Workload";
const LINKED = "secret-rotation:workloads:LinkedWorkload";
const child = (parent: string, type: string) => `${parent}$${type}`;

/** The names the program declares for a parsed stack config (every listed version). */
export function declaredNames(spec: StackSpec<unknown>): DeclaredName[] {
  const out: DeclaredName[] = [];
  const store = spec.externalSecrets?.store && spec.externalSecrets.storeRef.name;
  if (store) {
    out.push({ type: STORE, name: store, path: "externalSecrets.store" });
    out.push({
      type: child(STORE, "kubernetes:external-secrets.io:ClusterSecretStore"),
      name: `${store}-store`,
      path: "externalSecrets.store",
    });
  }
  for (const secret of spec.secrets) {
    const at = join("secrets", secret.name);
    out.push({ type: SECRET, name: secret.name, path: at });
    // An unversioned (dev) stack declares one version, the active one (rotatedSecret.ts).
    const versions = spec.versioned
      ? secret.versions
      : secret.versions.filter((v) => v.id === secret.active);
    for (const version of versions) {
      const versionRole = `${secret.name}-${version.id}`;
      const role = spec.versioned ? versionRole : secret.name;
      const vAt = `${at}.versions.${version.id}`;
      for (const key of Object.keys(secret.generate ?? {}).sort()) {
        out.push({
          type: child(SECRET, "random:index/randomPassword:RandomPassword"),
          name: `${versionRole}-${key}-generated`,
          path: join(join(at, "generate"), key),
        });
      }
      out.push({
        type: child(SECRET, "aws:secretsmanager/secret:Secret"),
        name: `${role}-aws`,
        path: vAt,
      });
      out.push({
        type: child(SECRET, "aws:secretsmanager/secretVersion:SecretVersion"),
        name: `${role}-aws-value`,
        path: vAt,
      });
      const copy = COPY_RESOURCES[secret.delivery];
      out.push({ type: child(SECRET, copy.type), name: `${role}-${copy.suffix}`, path: vAt });
    }
    if (secret.monitor) {
      out.push({ type: ALARM, name: secret.name, path: `${at}.monitor` });
      out.push({
        type: child(ALARM, "aws:cloudwatch/metricAlarm:MetricAlarm"),
        name: `${secret.name}-alarm`,
        path: `${at}.monitor`,
      });
    }
  }
  for (const workload of spec.workloads) {
    const at = `workloads.${workload.name}`;
    if (!isOwned(workload)) {
      out.push({ type: LINKED, name: workload.name, path: at });
      out.push({
        type: child(
          LINKED,
          `kubernetes:${workload.kind === "CronJob" ? "batch" : "apps"}/v1:${workload.kind}Patch`,
        ),
        name: `${workload.name}-link`,
        path: at,
      });
      continue;
    }
    out.push({ type: WORKLOAD, name: workload.name, path: at });
    const deployment = child(WORKLOAD, "kubernetes:apps/v1:Deployment");
    if (workload.kind === "CronJob") {
      out.push({
        type: child(WORKLOAD, "kubernetes:batch/v1:CronJob"),
        name: `${workload.name}-cronjob`,
        path: at,
      });
    } else {
      out.push({ type: deployment, name: `${workload.name}-deployment`, path: at });
      out.push({ type: deployment, name: `${workload.name}-canary`, path: at });
      out.push({
        type: child(WORKLOAD, "kubernetes:core/v1:Service"),
        name: `${workload.name}-service`,
        path: at,
      });
    }
  }
  return out;
}

/** Each pair of config paths whose resources would share a URN, reported once per pair. */
export function checkUniqueUrns(p: Problems, names: readonly DeclaredName[]): void {
  const seen = new Map<string, DeclaredName>();
  const reported = new Set<string>();
  for (const declared of names) {
    const urn = `${declared.type}::${declared.name}`;
    const first = seen.get(urn);
    if (!first) {
      seen.set(urn, declared);
      continue;
    }
    const pair = `${first.path}\u0000${declared.path}`;
    if (reported.has(pair)) continue;
    reported.add(pair);
    p.add(
      declared.path,
      `declares the resource "${declared.name}", which ${first.path} also declares; Pulumi refuses two resources with one URN ("Duplicate resource URN"): rename one of them`,
    );
  }
}
