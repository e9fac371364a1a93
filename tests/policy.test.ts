/**
 * The CrossGuard policy pack (policy/, docs/policy.md): each policy's `validateStack` called
 * with a stack's resources, as the @pulumi/policy docs test policies ("Unit testing policy
 * packs": call the validation function with resource args and a reportViolation that records).
 */
import * as assert from "assert";
import {
  immutableVersionedSecrets,
  noUnversionedReferences,
  policies,
  productionPromotion,
  productionRetention,
  timestampedNames,
} from "../policy/policies";
import { deployment, resource, rotated, violations } from "./policyHelpers";

const V1 = "20261020100000";
const V2 = "20261110100000";

/** A production stack as the program writes it: versioned, 14 days, promoted from staging. */
function production() {
  return [
    ...rotated("production", "auth-api-secrets", [V1, V2], {
      retentionDays: "14",
      promotedFrom: "acme/secret-rotation/staging",
    }),
    deployment("production", "auth-service", [`auth-api-secrets-${V2}`]),
  ];
}

describe("policy pack: configuration", () => {
  it("has five policies, each mandatory by default and configurable by environment", () => {
    assert.deepEqual(
      policies.map((p) => p.name),
      [
        "rotated-secret-immutable",
        "timestamped-secret-name",
        "production-promotion",
        "production-retention",
        "no-unversioned-secret-reference",
      ],
    );
    for (const p of policies) {
      assert.equal(p.enforcementLevel, "mandatory", p.name);
      assert.equal(p.configSchema?.properties.environments.type, "array", p.name);
    }
  });

  it("a production stack as the components write it passes every policy", async () => {
    for (const p of policies) assert.deepEqual(await violations(p, production()), [], p.name);
  });
});

describe("policy rotated-secret-immutable", () => {
  it("reports a mutable copy and one without a version label, naming the Secret", async () => {
    const stack = rotated("staging", "db", [V1, V2]);
    stack[2].props.immutable = false;
    delete (stack[4].props.metadata as any).labels["secret-rotation/version"];
    const found = await violations(immutableVersionedSecrets, stack);
    assert.equal(found.length, 2);
    assert.match(
      found[0].message,
      /^staging: Kubernetes Secret db-20261020100000-k8s .* is not immutable.*immutable: true/,
    );
    assert.equal(found[0].urn, stack[2].urn);
    assert.match(found[1].message, /db-20261110100000-k8s .*no secret-rotation\/version label/);
  });

  it("leaves dev's unversioned copy alone unless the config names dev", async () => {
    const dev = rotated("dev", "db", [V1], { unversioned: true });
    assert.deepEqual(await violations(immutableVersionedSecrets, dev), []);
    const found = await violations(immutableVersionedSecrets, dev, { environments: ["dev"] });
    assert.equal(found.length, 2, "not immutable, no version label");
  });

  it("disabled by its config, it reports nothing", async () => {
    const stack = rotated("production", "db", [V1]);
    stack[2].props.immutable = false;
    assert.deepEqual(await violations(immutableVersionedSecrets, stack, { environments: [] }), []);
  });
});

describe("policy timestamped-secret-name", () => {
  it("reports staging copies and AWS secrets not named <secret>-<YYYYMMDDHHMMSS>", async () => {
    const stack = rotated("staging", "db", [V1], { unversioned: true });
    const found = await violations(timestampedNames, stack);
    assert.deepEqual(
      found.map((f) => f.message.split(";")[0]),
      [
        'staging: kubernetes:core/v1:Secret db-k8s of RotatedSecret db is named "db"',
        'staging: aws:secretsmanager/secret:Secret db-aws of RotatedSecret db is named "staging/db"',
      ],
    );
    assert.match(found[1].message, /allowed: staging\/db-<YYYYMMDDHHMMSS>/);
  });

  it("refuses a suffix that is no real date-time", async () => {
    const stack = rotated("production", "db", ["20261399000000"]);
    assert.equal((await violations(timestampedNames, stack)).length, 2);
  });

  it("skips a name unknown during preview", async () => {
    // @pulumi/policy wraps props in this proxy; its types leave it out (proxy.d.ts).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const proxy = require("@pulumi/policy/proxy");
    const stack = rotated("production", "db", [V1]);
    (stack[2].props.metadata as any).name = proxy.unknownStringValue;
    stack[2].props = proxy.unknownCheckingProxy(stack[2].props);
    assert.deepEqual(await violations(timestampedNames, stack), []);
  });
});

describe("policy production-promotion", () => {
  it("reports each production AWS secret with no promoted-from tag, or an empty one", async () => {
    const stack = [
      ...rotated("production", "db", [V1], { retentionDays: "14" }),
      ...rotated("production", "api", [V1], { promotedFrom: " " }),
    ];
    const found = await violations(productionPromotion, stack);
    assert.equal(found.length, 2);
    assert.match(
      found[0].message,
      /^production: AWS secret db-20261020100000-aws of RotatedSecret db has no promoted-from tag: this stack promotes from no stack; allowed: a promoted-from tag naming the source stack \(set promotion.fromStack/,
    );
    assert.equal(found[0].urn, stack[1].urn, "names the AWS secret");
    assert.match(found[1].message, /api-20261020100000-aws .* has promoted-from " "/);
  });

  it("passes staging, and a production stack that rotates nothing", async () => {
    assert.deepEqual(await violations(productionPromotion, rotated("staging", "db", [V1])), []);
    const none = [deployment("production", "web", [])];
    assert.deepEqual(await violations(productionPromotion, none), []);
  });

  it("applies to the environments its config lists, and skips a tag unknown in preview", async () => {
    const stack = rotated("staging", "db", [V1]);
    const config = { environments: ["staging"] };
    assert.equal((await violations(productionPromotion, stack, config)).length, 1);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const proxy = require("@pulumi/policy/proxy");
    (stack[1].props.tags as any)["promoted-from"] = proxy.unknownStringValue;
    stack[1].props = proxy.unknownCheckingProxy(stack[1].props);
    assert.deepEqual(await violations(productionPromotion, stack, config), []);
  });

  it("takes no stackReference option: a StackReference never reaches a policy", () => {
    const schema = productionPromotion.configSchema?.properties ?? {};
    assert.deepEqual(Object.keys(schema), ["environments"]);
  });
});

describe("policy production-retention", () => {
  it("reports production AWS secrets kept under 14 days, or with no retention tag", async () => {
    const stack = [
      ...rotated("production", "db", [V1], { retentionDays: "7" }),
      ...rotated("production", "api", [V1]),
    ];
    const found = await violations(productionRetention, stack);
    assert.equal(found.length, 2);
    assert.match(
      found[0].message,
      /^production: AWS secret db-20261020100000-aws .* retention-days "7"; allowed: .* at least 14/,
    );
    assert.match(found[1].message, /no retention-days tag \(set RotatedSecret retentionDays\)/);
  });

  it("passes staging with a short retention, and takes its minimum from config", async () => {
    assert.deepEqual(
      await violations(productionRetention, rotated("staging", "db", [V1], { retentionDays: "1" })),
      [],
    );
    const fourteen = rotated("production", "db", [V1], { retentionDays: "14" });
    assert.deepEqual(await violations(productionRetention, fourteen), []);
    assert.equal((await violations(productionRetention, fourteen, { minimumDays: 30 })).length, 1);
  });
});

describe("policy no-unversioned-secret-reference", () => {
  it("reports a workload reading the secret's unversioned name in production", async () => {
    const stack = [
      ...production(),
      deployment("production", "worker", ["auth-api-secrets", "tls"]),
    ];
    const found = await violations(noUnversionedReferences, stack);
    assert.equal(found.length, 1);
    assert.match(
      found[0].message,
      /^production: kubernetes:apps\/v1:Deployment worker references the unversioned Secret auth-api-secrets;/,
    );
  });

  it("reads env secretKeyRef, secret volumes and CronJobs; takes more names from config", async () => {
    const cron = resource("staging", "kubernetes:batch/v1:CronJob", "refresh", {
      spec: {
        jobTemplate: {
          spec: {
            template: {
              spec: {
                containers: [
                  {
                    name: "c",
                    env: [{ name: "T", valueFrom: { secretKeyRef: { name: "legacy", key: "t" } } }],
                  },
                ],
                volumes: [{ name: "v", secret: { secretName: "db" } }],
              },
            },
          },
        },
      },
    });
    const stack = [...rotated("staging", "db", [V1]), cron];
    const found = await violations(noUnversionedReferences, stack);
    assert.match(found[0].message, /references the unversioned Secret db;/);
    const more = await violations(noUnversionedReferences, stack, {
      unversionedSecrets: ["legacy"],
    });
    assert.match(more[0].message, /references the unversioned Secret db, legacy;/);
  });

  it("leaves dev alone", async () => {
    const dev = [
      ...rotated("dev", "db", [V1], { unversioned: true }),
      deployment("dev", "web", ["db"]),
    ];
    assert.deepEqual(await violations(noUnversionedReferences, dev), []);
  });
});
