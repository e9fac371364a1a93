/**
 * Engine rules: External Secrets delivery: how pulumi-kubernetes master 94977969 (after
 * 4.32.0) awaits a custom resource (provider/pkg/metadata/overrides.go), with ESO v2.9.0's
 * objects. The other engine rules are in engineRules.test.ts and beside it.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { esoCrd } from "./esoSchema";
import { TYPES, baseConfig, declareOk } from "./helpers";

const root = path.resolve(__dirname, "..");

/**
 * pulumi-kubernetes master 94977969 (after 4.32.0): provider/pkg/metadata/overrides.go
 * ReadyCondition. Without `pulumi.com/waitFor` (or PULUMI_K8S_AWAIT_ALL=true) a custom resource
 * is ready as soon as the API server accepts it; with `condition=<Type>[=<Status>]` the provider
 * waits, on create and on update, until `.status.conditions` has that type with that status
 * (await/condition/custom.go NewCustom: the prefix is optional, the status defaults to True;
 * kubectl.go checkCondition compares case-insensitively). The annotation came in 4.18.0
 * (CHANGELOG.md).
 */
function providerCustomCondition(expr: string): { type: string; status: string } {
  const body = expr.replace(/^condition=/, "");
  const at = body.indexOf("=");
  return at === -1
    ? { type: body, status: "True" }
    : { type: body.slice(0, at), status: body.slice(at + 1) };
}

/** overrides.go TimeoutDuration: the annotation is read with strconv.Atoi, else ignored. */
function providerTimeoutSeconds(annotations: Record<string, string>): number | undefined {
  const text = annotations["pulumi.com/timeoutSeconds"];
  return text !== undefined && /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

describe("engine rules: External Secrets delivery (pulumi-kubernetes overrides.go, ESO v2.9.0)", () => {
  const eso = () => ({
    ...baseConfig(),
    delivery: "externalSecrets",
    externalSecrets: {
      storeRef: { name: "aws-secrets-manager", kind: "ClusterSecretStore" },
      store: { region: "us-east-1" },
      readyTimeoutSeconds: 240,
    },
  });
  const esoObjects = (run: Awaited<ReturnType<typeof declareOk>>) =>
    run.resources.filter((r) => r.type.startsWith("kubernetes:external-secrets.io/"));

  it("the pinned provider reads pulumi.com/waitFor (introduced in 4.18.0)", () => {
    const manifest = path.join(root, "node_modules", "@pulumi", "kubernetes", "package.json");
    const { version } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string };
    const [major, minor] = version.split(".").map(Number);
    assert.ok(major > 4 || (major === 4 && minor >= 18), `@pulumi/kubernetes ${version}`);
  });

  it("every ExternalSecret and store waits for Ready=True, within the configured seconds", async () => {
    const run = await declareOk(eso());
    const objects = esoObjects(run);
    assert.equal(objects.length, 3 + 1);
    for (const r of objects) {
      const annotations = (r.inputs.metadata as any).annotations as Record<string, string>;
      assert.deepEqual(providerCustomCondition(annotations["pulumi.com/waitFor"]), {
        type: "Ready",
        status: "True",
      });
      // ESO's condition type (apis/externalsecrets/v1 ExternalSecretReady, SecretStoreReady).
      assert.equal(providerTimeoutSeconds(annotations), 240);
      assert.ok(!("pulumi.com/skipAwait" in annotations), "skipAwait would win over waitFor");
    }
  });

  it("a workload's Secret name comes from the ExternalSecret, so it waits for Ready", async () => {
    // A dependent reads the ExternalSecret's output, which resolves only after the await.
    const run = await declareOk(eso());
    const deployment = run.resources.find(
      (r) => r.type === TYPES.deployment && r.name === "auth-service-deployment",
    )!;
    const names = esoObjects(run).map((r) => (r.inputs.metadata as any).name as string);
    const referenced = (deployment.inputs.spec as any).template.spec.containers[0].envFrom[0]
      .secretRef.name as string;
    assert.ok(names.includes(referenced));
  });

  it("ESO v2.9.0 serves only v1 (v1beta1 is served: false), the version the program writes", async () => {
    for (const kind of ["ExternalSecret", "ClusterSecretStore"]) {
      const crd = esoCrd(kind);
      assert.deepEqual(
        crd.spec.versions.filter((v) => v.served).map((v) => v.name),
        ["v1"],
      );
    }
    const run = await declareOk(eso());
    for (const r of esoObjects(run)) assert.equal(r.inputs.apiVersion, "external-secrets.io/v1");
  });

  it("refreshInterval 0s fetches a version once (externalsecret_controller.go shouldRefreshPeriodic)", async () => {
    // shouldRefreshPeriodic: interval <= 0 and already synced: no refresh, whatever changed.
    const shouldRefresh = (intervalSeconds: number, synced: boolean) =>
      !(intervalSeconds <= 0 && synced);
    const run = await declareOk(eso());
    for (const r of esoObjects(run).filter((o) => o.inputs.kind === "ExternalSecret")) {
      const spec = r.inputs.spec as any;
      assert.equal(spec.refreshInterval, "0s");
      assert.equal(spec.refreshPolicy, undefined, "Periodic, the default");
      assert.equal(shouldRefresh(0, true), false);
    }
  });
});
