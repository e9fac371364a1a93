/**
 * The policy pack against what the program itself declares (offline, Pulumi's mock runtime):
 * a stack this program writes passes the pack. The mock runtime records no parent, so the
 * test gives each AWS secret and Kubernetes Secret its RotatedSecret by the children's names
 * (`<secret>-<version>-aws`, `-k8s`: components/secrets/rotatedSecret.ts).
 */
import * as assert from "assert";
import { policies, productionPromotion, productionRetention } from "../policy/policies";
import type { StackResource } from "../policy/resources";
import { type ProgramRun, baseConfig, declareOk, inputsOf } from "./helpers";
import { PROJECT, violations } from "./policyHelpers";

function stackResources(stack: string, run: ProgramRun): StackResource[] {
  const out: StackResource[] = run.resources.map((r) => ({
    type: r.type,
    name: r.name,
    urn: `urn:pulumi:${stack}::${PROJECT}::${r.type}::${r.name}`,
    props: inputsOf(r),
  }));
  const components = out.filter((r) => r.type === "secret-rotation:secrets:RotatedSecret");
  for (const r of out) {
    if (!/^(aws:secretsmanager\/secret:Secret|kubernetes:core\/v1:Secret)$/.test(r.type)) continue;
    const parent = components.find((c) => r.name.startsWith(`${c.name}-`));
    if (parent) r.parent = parent;
  }
  return out;
}

describe("policy pack: a stack the program declares", () => {
  it("passes every policy, with the production policies applied to staging too", async () => {
    const resources = stackResources("staging", await declareOk(baseConfig()));
    assert.ok(
      resources.some((r) => r.parent),
      "RotatedSecret children found",
    );
    const config = { environments: ["staging", "production"] };
    for (const p of policies.filter((p) => p !== productionPromotion)) {
      assert.deepEqual(await violations(p, resources, config), [], p.name);
    }
  });

  it("is refused by production-promotion when it promotes from no stack", async () => {
    const resources = stackResources("staging", await declareOk(baseConfig()));
    const found = await violations(productionPromotion, resources, { environments: ["staging"] });
    assert.equal(found.length, 1);
    assert.match(
      found[0].message,
      /^staging: this stack rotates auth-api-secrets but promotes from no stack/,
    );
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
