/**
 * What the External Secrets test files share: the resource types, the base config delivered by
 * ESO, and readers of what a run declares (its ExternalSecrets, a Deployment's envFrom), with
 * the check that every ESO object is valid against ESO's own CRD.
 */
import { strict as assert } from "assert";
import { celRulesOn, esoProblems } from "./esoSchema";
import { ProgramRun, TestConfig, baseConfig, find, inputsOf, ofType } from "./helpers";

export const ES = "kubernetes:external-secrets.io/v1:ExternalSecret";
export const STORE = "kubernetes:external-secrets.io/v1:ClusterSecretStore";
export const KUBE_SECRET = "kubernetes:core/v1:Secret";
export const AWS_SECRET = "aws:secretsmanager/secret:Secret";

/** The base staging config, delivered by ESO through an existing ClusterSecretStore. */
export function esoConfig(): TestConfig {
  return {
    ...baseConfig(),
    delivery: "externalSecrets",
    externalSecrets: { storeRef: { name: "aws-secrets-manager", kind: "ClusterSecretStore" } },
  };
}

/** The ExternalSecrets a run declares, by Kubernetes name. */
export function externalSecrets(run: ProgramRun): Record<string, any> {
  return Object.fromEntries(
    ofType(run, ES).map((r) => [inputsOf(r).metadata.name, inputsOf(r)] as const),
  );
}

export function envFromNames(run: ProgramRun, resource = "auth-service-deployment"): string[] {
  const deployment = inputsOf(find(run, "kubernetes:apps/v1:Deployment", resource));
  return deployment.spec.template.spec.containers[0].envFrom.map(
    (e: any) => e.secretRef.name as string,
  );
}

/** Every ESO object of a run is valid against ESO's CRD, and no CEL rule applies to it. */
export function assertValidEso(run: ProgramRun): number {
  const objects = [...ofType(run, ES), ...ofType(run, STORE)];
  for (const r of objects) {
    const object = inputsOf(r);
    assert.deepEqual(esoProblems(object), [], `${r.name} breaks ESO's CRD schema`);
    assert.deepEqual(celRulesOn(object), [], `${r.name}: a CEL rule applies that ajv cannot check`);
  }
  return objects.length;
}
