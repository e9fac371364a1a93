/**
 * The reference guard's AWS read: listing Secrets Manager (aws-sdk-client-mock), and AWS as
 * the store of record.
 */
import { strict as assert } from "assert";
import { ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { listStackSecrets } from "../reads/aws";
import { fakeAws } from "../fakes/world";
import {
  TYPES,
  baseConfig,
  declare,
  declaredVersions,
  runHistory,
  secretOf,
  versionReport,
} from "./helpers";
import { OLD, OLD_NAME, BEFORE, pruneUpdate, warnings } from "./guardHelpers";

describe("reference guard: listing AWS (aws-sdk-client-mock)", () => {
  it("lists the stack's prefix with planned deletions, page by page, and keeps only the names asked about", async () => {
    const mock = mockClient(SecretsManagerClient);
    try {
      mock
        .on(ListSecretsCommand, { NextToken: undefined })
        .resolves({
          SecretList: [
            { Name: "staging/a-1", LastAccessedDate: new Date("2025-08-30T00:00:00Z") },
            { Name: "staging/other" },
          ],
          NextToken: "p2",
        })
        .on(ListSecretsCommand, { NextToken: "p2" })
        .resolves({
          SecretList: [{ Name: "staging/a-2", DeletedDate: new Date("2025-08-01T10:00:00Z") }],
        });
      const index = await listStackSecrets(
        new SecretsManagerClient({ region: "us-east-1" }),
        "staging/",
        new Set(["staging/a-1", "staging/a-2"]),
      );
      assert.deepEqual(
        { ...index },
        {
          "staging/a-1": { lastAccessedDate: "2025-08-30T00:00:00.000Z" },
          "staging/a-2": { deletedDate: "2025-08-01T10:00:00.000Z" },
        },
      );
      const inputs = mock.commandCalls(ListSecretsCommand).map((c) => c.args[0].input);
      assert.equal(inputs.length, 2);
      assert.ok(inputs.every((i) => i.IncludePlannedDeletion === true));
      assert.deepEqual(inputs[0].Filters, [{ Key: "name", Values: ["staging/"] }]);
    } finally {
      mock.restore();
      fakeAws.install();
    }
  });
});

describe("reference guard: AWS, the store of record", () => {
  const aws = (
    name: string,
    facts: { DeletedDate?: Date; LastAccessedDate?: Date; LastChangedDate?: Date } = {},
  ) => ({
    Name: `staging/auth-api-secrets-${name}`,
    ...facts,
  });

  it("a version whose AWS secret is pending deletion is pruned, even without memory", async () => {
    fakeAws.secrets = [
      aws(OLD, { DeletedDate: new Date("2025-07-20T00:00:00Z") }),
      aws("20250715100000"),
      aws("20250723110000"),
    ];
    const runs = await runHistory([{ config: baseConfig(), now: BEFORE }]);
    assert.equal(versionReport(runs[0], OLD).state, "pruned");
    assert.equal(versionReport(runs[0], OLD).prunedAt, "2025-07-20T00:00:00.000Z");
    assert.ok(!declaredVersions(runs[0]).includes(OLD));
  });

  it("a secret named constructor is planned on its own when another secret's version is pending deletion", async () => {
    const config = baseConfig();
    for (const name of ["constructor"]) {
      (config.secrets as Record<string, unknown>)[name] = {
        active: "20250723110000",
        versions: { "20250723110000": { k: "v" } },
      };
    }
    fakeAws.secrets = [aws(OLD, { DeletedDate: new Date("2025-07-20T00:00:00Z") })];
    const runs = await runHistory([{ config, now: BEFORE }]);
    assert.equal(runs[0].error, undefined, runs[0].error?.message);
    assert.equal(versionReport(runs[0], OLD).state, "pruned");
    for (const name of ["constructor"]) {
      assert.equal(versionReport(runs[0], "20250723110000", name).state, "active");
    }
  });

  it("a version remembered as pruned whose AWS secret is still live was never deleted (a failed delete, --target): it is no longer pruned", async () => {
    // The update that removed 20250715100000 recorded the prune when the program returned;
    // the engine deletes afterwards (deployment_executor.go performPostSteps).
    const removed = baseConfig();
    delete secretOf(removed).versions["20250715100000"];
    // Unchanged since it was written: a failed delete leaves it so.
    const written = new Date("2025-07-15T10:00:00Z");
    fakeAws.secrets = [
      aws("20250715100000", { LastChangedDate: written }),
      aws("20250723110000", { LastChangedDate: written }),
    ];
    const [, afterRemoval] = await runHistory([
      { config: baseConfig(), now: BEFORE },
      { config: removed, now: "20250724010000" },
    ]);
    assert.equal(versionReport(afterRemoval, "20250715100000").state, "pruned");

    // Put back: AWS still holds it live, so its resources never left and it is declared again.
    const stillLive = await declare(baseConfig(), {
      now: "20250724020000",
      previous: afterRemoval.outputs,
    });
    assert.equal(stillLive.error, undefined, stillLive.error?.message);
    assert.equal(versionReport(stillLive, "20250715100000").state, "previous");
    assert.ok(declaredVersions(stillLive).includes("20250715100000"));

    // Restored by hand (restore-secret) after the prune: it stays outside the stack and pruned.
    fakeAws.secrets = [
      aws("20250715100000", { LastChangedDate: new Date("2025-07-24T01:30:00Z") }),
      aws("20250723110000", { LastChangedDate: written }),
    ];
    const restored = await declare(baseConfig(), {
      now: "20250724020000",
      previous: afterRemoval.outputs,
    });
    assert.equal(versionReport(restored, "20250715100000").state, "pruned");

    // Deleted as remembered: it stays pruned, and is not declared again.
    fakeAws.secrets = [
      aws("20250715100000", { DeletedDate: new Date("2025-07-24T01:00:00Z") }),
      aws("20250723110000"),
    ];
    const deleted = await declare(baseConfig(), {
      now: "20250724020000",
      previous: afterRemoval.outputs,
    });
    assert.equal(versionReport(deleted, "20250715100000").state, "pruned");
    assert.ok(!declaredVersions(deleted).includes("20250715100000"));
  });

  it("an active version pending deletion in AWS is refused before anything is declared", async () => {
    fakeAws.secrets = [aws("20250723110000", { DeletedDate: new Date("2025-07-23T12:00:00Z") })];
    const runs = await runHistory([{ config: baseConfig(), now: BEFORE }]);
    assert.match(
      runs[0].error?.message ?? "",
      /version 20250723110000 cannot be active: it was pruned/,
    );
    assert.deepEqual(
      runs[0].resources.filter((r) => r.custom && r.type !== TYPES.stackReference),
      [],
    );
  });

  it("with guard.awsReadWithinDays, keeps an expired version read recently, by day", async () => {
    const config = baseConfig();
    config.guard = { awsReadWithinDays: 7 };
    fakeAws.secrets = [aws(OLD, { LastAccessedDate: new Date("2025-08-25T00:00:00Z") })];
    const run = await pruneUpdate(config, { config, now: "20250901120000" });
    assert.deepEqual(versionReport(run, OLD).referencedBy, [
      `AWS read of staging/${OLD_NAME} on 2025-08-25 (guard.awsReadWithinDays 7)`,
    ]);
    const later = await pruneUpdate(config, { config, now: "20250902000000" });
    assert.equal(
      versionReport(later, OLD).state,
      "expired",
      "read 8 days before: no longer within 7",
    );
  });

  it("when AWS cannot be listed, prunes nothing and says why", async () => {
    fakeAws.failure = Object.assign(
      new Error("User is not authorized to perform: secretsmanager:ListSecrets"),
      { name: "AccessDeniedException" },
    );
    const run = await pruneUpdate();
    assert.equal(versionReport(run, OLD).state, "referenced");
    assert.ok(
      warnings(run).some(
        (w) => w.includes("the AWS could not be read") && w.includes("AccessDeniedException"),
      ),
      warnings(run).join("\n"),
    );
  });
});
