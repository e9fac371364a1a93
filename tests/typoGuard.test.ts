/**
 * A mistyped field that decides what else a section takes (a workload's `kind` and `owner`,
 * a store's `kind`) is named as unknown with the nearest known field, beside "is required",
 * and never read as the value `undefined`.
 */
import { strict as assert } from "assert";
import { type TestConfig, assertRefused, baseConfig, declare, secretOf } from "./helpers";
import { job, service } from "./badInputs/shared";
import { projectConfig, runProgram } from "../offline";

describe("a mistyped field is named, with the field it misses", () => {
  const cases: {
    name: string;
    edit: (c: TestConfig) => void;
    problems: [path: string, says: string][];
    stack?: string;
  }[] = [
    {
      name: "kind written knd on a Deployment",
      edit: (c) => {
        service(c).knd = service(c).kind;
        delete service(c).kind;
      },
      problems: [
        ["workloads.auth-service.knd", "unknown field; allowed: args, command, env, image, kind"],
        ["workloads.auth-service.knd", "did you mean kind?"],
        [
          "workloads.auth-service.kind",
          "is required; allowed: Deployment, CronJob (StatefulSet and DaemonSet with owner: external)",
        ],
      ],
    },
    {
      name: "kind written kid on a CronJob, with another typo beside it",
      edit: (c) => {
        job(c).kid = job(c).kind;
        delete job(c).kind;
        job(c).imag = job(c).image;
      },
      problems: [
        ["workloads.token-refresh.kid", "did you mean kind?"],
        ["workloads.token-refresh.imag", "did you mean image?"],
        ["workloads.token-refresh.kind", "is required; allowed: Deployment, CronJob"],
      ],
    },
    {
      name: "kind written knd on a linked workload",
      edit: (c) => {
        (c.workloads as Record<string, unknown>).billing = {
          owner: "external",
          knd: "StatefulSet",
          namespace: "staging",
          containers: ["app"],
          secrets: ["auth-api-secrets"],
        };
      },
      problems: [
        [
          "workloads.billing.knd",
          "unknown field; allowed: containers, kind, namespace, owner, secrets; did you mean kind?",
        ],
        [
          "workloads.billing.kind",
          "is required; allowed: Deployment, StatefulSet, DaemonSet, CronJob",
        ],
      ],
    },
    {
      name: "owner written ownr on a StatefulSet",
      edit: (c) => {
        (c.workloads as Record<string, unknown>).billing = {
          ownr: "external",
          kind: "StatefulSet",
          secrets: ["auth-api-secrets"],
        };
      },
      problems: [
        ["workloads.billing.ownr", "did you mean owner?"],
        [
          "workloads.billing.kind",
          '"StatefulSet" is not allowed; allowed: Deployment, CronJob (StatefulSet and DaemonSet with owner: external)',
        ],
      ],
    },
    {
      name: "a store's kind written knd",
      edit: (c) => {
        c.delivery = "externalSecrets";
        c.externalSecrets = { storeRef: { name: "aws-secrets-manager", knd: "SecretStore" } };
      },
      problems: [
        ["externalSecrets.storeRef.knd", "unknown field; allowed: kind, name; did you mean kind?"],
        ["externalSecrets.storeRef.kind", "is required; allowed: ClusterSecretStore, SecretStore"],
      ],
    },
    {
      name: "a secret's delivery written delivry",
      edit: (c) => (secretOf(c).delivry = "externalSecrets"),
      problems: [["secrets.auth-api-secrets.delivry", "did you mean delivery?"]],
    },
    {
      name: "a stack field written retentionDay",
      edit: (c) => (c.retentionDay = 7),
      problems: [["retentionDay", "did you mean retentionDays?"]],
    },
  ];
  for (const bad of cases) {
    it(`${bad.name}: names ${[...new Set(bad.problems.map(([path]) => path))].join(" and ")}`, async () => {
      const config = baseConfig();
      bad.edit(config);
      const run = await declare(config, { stack: bad.stack });
      const message = assertRefused(run, bad.problems[0][0]);
      const lines = message.split("\n");
      for (const [path, says] of bad.problems) {
        assert.ok(
          lines.some((l) => l.startsWith(`  - secret-rotation:${path}: `) && l.includes(says)),
          `the line of ${path} should say "${says}"; the error says:\n${message}`,
        );
      }
      assert.doesNotMatch(message, /undefined/);
    });
  }

  it("suggests only a near name: nothing for a field unlike any", async () => {
    const config = baseConfig();
    service(config).zzzz = 1;
    const message = assertRefused(await declare(config), "workloads.auth-service.zzzz");
    assert.doesNotMatch(message, /did you mean/);
  });
});

describe("a workload whose kind is refused", () => {
  it("still has every field all its kinds take checked: image, env, command", async () => {
    const config = baseConfig();
    Object.assign(service(config), {
      kind: "Deploymnet",
      image: "",
      command: 5,
      env: { "1BAD": "x" },
    });
    const message = assertRefused(await declare(config), "workloads.auth-service.kind");
    for (const field of ["kind", "image", "command", "env.1BAD"]) {
      assert.match(
        message,
        new RegExp(`secret-rotation:workloads\\.auth-service\\.${field.replace(".", "\\.")}: `),
        field,
      );
    }
  });
});

describe("a top-level key named like an Object property", () => {
  it("secret-rotation:__proto__ is an unknown field, never the config's prototype", async () => {
    const evil = { kind: "Deployment", image: "registry.example.com/evil:1", secrets: [] };
    const run = await runProgram({
      stack: "staging",
      config: projectConfig({ ...baseConfig(), ["__proto__"]: { workloads: { evil } } }),
    });
    const message = run.error?.message ?? "";
    assert.match(message, /secret-rotation:__proto__: unknown field/);
    assert.ok(!run.resources.some((r) => r.name.startsWith("evil")), "no workload from the key");
  });
});
