/**
 * The policy pack against what the program itself declares (offline, Pulumi's mock runtime):
 * a stack this program writes passes the pack. The mock runtime records no parent, so the
 * test gives each AWS secret, Kubernetes Secret and ExternalSecret its RotatedSecret by the
 * children's names (`<secret>-<version>-aws`, `-k8s`, `-es`: components/secrets/rotatedSecret.ts).
 */
import * as assert from "assert";
import {
  immutableVersionedSecrets,
  policies,
  productionPromotion,
  productionRetention,
} from "../policy/policies";
import { AWS_SECRET_TYPE, EXTERNAL_SECRET_TYPE, type StackResource } from "../policy/resources";
import {
  type ProgramRun,
  type TestConfig,
  baseConfig,
  committedConfig,
  declareOk,
  inputsOf,
} from "./helpers";
import { esoConfig } from "./externalSecretsHelpers";
import { PROJECT, violations } from "./policyHelpers";
import { stagingExports } from "./promotionFixtures";

function stackResources(stack: string, run: ProgramRun): StackResource[] {
  const out: StackResource[] = run.resources.map((r) => ({
    type: r.type,
    name: r.name,
    urn: `urn:pulumi:${stack}::${PROJECT}::${r.type}::${r.name}`,
    props: inputsOf(r),
  }));
  const components = out.filter((r) => r.type === "secret-rotation:secrets:RotatedSecret");
  for (const r of out) {
    const child =
      r.type === AWS_SECRET_TYPE ||
      r.type === "kubernetes:core/v1:Secret" ||
      EXTERNAL_SECRET_TYPE.test(r.type);
    if (!child) continue;
    const parent = components.find((c) => r.name.startsWith(`${c.name}-`));
    if (parent) r.parent = parent;
  }
  return out;
}

/** The committed production stack's update on 2026-11-20, reading staging's outputs. */
async function committedProduction(change: (config: TestConfig) => void = () => {}) {
  const now = "20261120000000";
  // Staging activated the production stack's active version on its own date, days ago.
  const staging = await stagingExports(committedConfig("staging"), now, "20261110100000");
  const config = committedConfig("production");
  change(config);
  const run = await declareOk(config, { stack: "production", now, stackOutputs: staging });
  return stackResources("production", run);
}

describe("policy pack: a stack the program declares", () => {
  it("passes every policy: the committed production stack, promoted from staging", async () => {
    const resources = await committedProduction();
    assert.ok(
      resources.some((r) => r.parent),
      "RotatedSecret children found",
    );
    for (const p of policies) assert.deepEqual(await violations(p, resources), [], p.name);
  });

  it("is refused by production-promotion without promotion: each AWS secret", async () => {
    const resources = await committedProduction((c) => delete c.promotion);
    const found = await violations(productionPromotion, resources);
    assert.equal(found.length, 2);
    assert.match(
      found[0].message,
      /^production: AWS secret auth-api-secrets-20261020100000-aws of RotatedSecret auth-api-secrets has no promoted-from tag: this stack promotes from no stack/,
    );
  });

  it("passes every other policy in staging, the production ones applied to staging", async () => {
    const resources = stackResources("staging", await declareOk(baseConfig()));
    const config = { environments: ["staging", "production"] };
    for (const p of policies.filter((p) => p !== productionPromotion)) {
      assert.deepEqual(await violations(p, resources, config), [], p.name);
    }
  });

  it("is refused by production-retention when its retention is shorter than 14 days", async () => {
    const config = baseConfig();
    config.retentionDays = 7;
    const resources = stackResources("staging", await declareOk(config));
    const found = await violations(productionRetention, resources, { environments: ["staging"] });
    assert.ok(found.length > 0);
    assert.match(
      found[0].message,
      /retention-days "7"; allowed: a whole number of days of at least 14/,
    );
  });
});

describe("policy pack: External Secrets copies (esoConfig)", () => {
  const esoStack = async () => stackResources("staging", await declareOk(esoConfig()));

  it("passes rotated-secret-immutable: the ExternalSecret's target is immutable and labelled", async () => {
    const resources = await esoStack();
    const copies = resources.filter((r) => EXTERNAL_SECRET_TYPE.test(r.type) && r.parent);
    assert.ok(copies.length > 0, "ExternalSecret copies found");
    assert.deepEqual(await violations(immutableVersionedSecrets, resources), []);
  });

  it("reports an ExternalSecret copy whose target is mutable or has no version label", async () => {
    const resources = await esoStack();
    const copy = resources.find((r) => EXTERNAL_SECRET_TYPE.test(r.type) && r.parent)!;
    const target = (copy.props.spec as any).target;
    target.immutable = false;
    delete target.template.metadata.labels["secret-rotation/version"];
    const found = await violations(immutableVersionedSecrets, resources);
    assert.deepEqual(
      found.map((f) => f.urn),
      [copy.urn, copy.urn],
    );
    assert.match(
      found[0].message,
      /^staging: ExternalSecret .* is not immutable \(spec.target.immutable: false\); allowed: spec.target.immutable: true/,
    );
    assert.match(
      found[1].message,
      /has no secret-rotation\/version label in spec.target.template.metadata.labels with a version id/,
    );
  });
});
