/**
 * Look before pruning: before a version is pruned, the program lists what in the cluster and
 * in AWS still uses it, keeps what is used, and prunes nothing when it cannot look. The
 * cluster is a real HTTP server on the loopback interface speaking the list API, read through
 * @kubernetes/client-node with a kubeconfig; AWS is aws-sdk-client-mock.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import type { AddressInfo } from "net";
import * as path from "path";
import { ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { listStackSecrets } from "../reads/aws";
import { PAGE_SIZE } from "../reads/cluster";
import { loadKubeConfig } from "../reads/kubeconfig";
import { liveReader } from "../reads/live";
import { GUARD_KINDS, isFinished, isOwnObject, podSpecSecretNames } from "../plan/guard/references";
import { LABELS, MANAGED_BY } from "../core/names";
import { fileLiveReader, projectConfig, runProgram } from "../offline";
import { fileReader, main } from "../scripts/plan";
import { renderPlan } from "../scripts/planRender";
import { fakeAws, fakeCluster } from "../fakes/world";
import { kubeconfigFor, objectReading, podSpecReading } from "../fakes/kubeApi";
import {
  ProgramRun,
  TYPES,
  Update,
  baseConfig,
  declare,
  declaredVersions,
  ofType,
  runHistory,
  secretOf,
  versionReport,
} from "./helpers";

const OLD = "20250701090000";
const OLD_NAME = `auth-api-secrets-${OLD}`;
/** Update 1 keeps OLD (retained); update 2, five weeks on, would prune it. */
const BEFORE = "20250724000000";
const LATER = "20250901000000";

/** Two updates of the base config; the second is the one the guard speaks in. */
async function pruneUpdate(
  config = baseConfig(),
  second: Partial<Update> = {},
): Promise<ProgramRun> {
  const runs = await runHistory([
    { config: baseConfig(), now: BEFORE },
    { config: second.config ?? config, now: second.now ?? LATER },
  ]);
  assert.equal(runs[0].error, undefined, runs[0].error?.message);
  assert.equal(versionReport(runs[0], OLD).state, "retained");
  return runs[1];
}

const guardOf = (run: ProgramRun) => run.outputs.guard as any;
const warnings = (run: ProgramRun) => run.logs.filter((l) => l.startsWith("warning:"));

describe("reference guard: what a pod reads", () => {
  it("finds a Secret through envFrom, secretKeyRef, secret volumes, projected volumes and imagePullSecrets", () => {
    for (const how of [
      "envFrom",
      "secretKeyRef",
      "volume",
      "projected",
      "imagePullSecrets",
    ] as const) {
      assert.deepEqual(podSpecSecretNames(podSpecReading("s-1", how)), ["s-1"], how);
    }
  });

  it("reads init and ephemeral containers as well as containers", () => {
    const spec = {
      containers: [{ name: "a" }],
      initContainers: [{ name: "i", envFrom: [{ secretRef: { name: "init-secret" } }] }],
      ephemeralContainers: [
        {
          name: "e",
          env: [{ name: "X", valueFrom: { secretKeyRef: { name: "debug", key: "k" } } }],
        },
      ],
    };
    assert.deepEqual(podSpecSecretNames(spec), ["init-secret", "debug"]);
  });

  it("a Succeeded or Failed Pod and a Complete or Failed Job can start nothing again; running ones can", () => {
    assert.ok(isFinished("Pod", { status: { phase: "Succeeded" } }));
    assert.ok(isFinished("Pod", { status: { phase: "Failed" } }));
    assert.ok(!isFinished("Pod", { status: { phase: "Running" } }));
    assert.ok(
      isFinished("Job", { status: { conditions: [{ type: "Complete", status: "True" }] } }),
    );
    assert.ok(
      !isFinished("Job", { status: { conditions: [{ type: "Complete", status: "False" }] } }),
    );
    assert.ok(!isFinished("ReplicaSet", { status: { phase: "Succeeded" } }));
  });

  it("only the program's own Deployments, CronJobs and the ReplicaSets and Pods they own are its own", () => {
    const own = { namespace: "staging", names: new Set(["auth-service", "auth-service-canary"]) };
    const labels = { [LABELS.app]: "auth-service", [LABELS.managedBy]: MANAGED_BY };
    const mine = (kind: (typeof GUARD_KINDS)[number], extra = {}) =>
      isOwnObject(
        kind,
        objectReading(kind, "staging", "auth-service", OLD_NAME, "envFrom", { labels, ...extra }),
        own,
      );
    assert.ok(mine("Deployment"));
    assert.ok(mine("ReplicaSet", { ownerKind: "Deployment" }));
    assert.ok(mine("Pod", { ownerKind: "ReplicaSet" }));
    // Same labels, but no owner: someone else's object copying the labels.
    assert.ok(!mine("ReplicaSet"));
    // Another namespace, or without the managed-by label: not the program's.
    assert.ok(
      !isOwnObject(
        "Deployment",
        objectReading("Deployment", "team-a", "auth-service", OLD_NAME, "envFrom", { labels }),
        own,
      ),
    );
    assert.ok(
      !isOwnObject(
        "Deployment",
        objectReading("Deployment", "staging", "auth-service", OLD_NAME),
        own,
      ),
    );
  });
});

describe("reference guard: reading the cluster through the real client", () => {
  const settings = () => ({ cluster: { kubeconfig: fakeCluster.kubeconfig }, aws: {} });
  const question = (names: string[], namespaces?: string[]) => ({
    names: new Set(names),
    ...(namespaces && { namespaces }),
    own: { namespace: "staging", names: new Set<string>() },
  });

  it("lists every kind in pages of 500, following continue, and keeps only the referrers asked about", async () => {
    const pods = Array.from({ length: 1234 }, (_, i) =>
      objectReading("Pod", `ns-${i % 7}`, `pod-${i}`, i === 1200 ? OLD_NAME : `other-${i}`),
    );
    fakeCluster.load({ Pod: pods });
    const read = await liveReader(settings()).cluster(question([OLD_NAME]));
    assert.equal(read.status, "read");
    assert.deepEqual(
      [...(read.status === "read" ? read.value : new Map()).entries()],
      [[OLD_NAME, [{ kind: "Pod", namespace: "ns-3", name: "pod-1200" }]]],
    );
    const podRequests = fakeCluster.requests.filter((r) => r.path === "/api/v1/pods");
    assert.equal(podRequests.length, 3, "1234 pods in pages of 500");
    assert.ok(podRequests.every((r) => r.limit === PAGE_SIZE));
    assert.deepEqual(
      podRequests.map((r) => r.continue !== undefined),
      [false, true, true],
    );
    const listed = new Set(fakeCluster.requests.map((r) => r.path));
    assert.equal(listed.size, GUARD_KINDS.length, [...listed].join(", "));
  });

  it("keeps paging when the server returns fewer items than the limit", async () => {
    fakeCluster.maxPage = 3;
    fakeCluster.load({
      Deployment: Array.from({ length: 10 }, (_, i) =>
        objectReading("Deployment", "a", `d${i}`, OLD_NAME),
      ),
    });
    const read = await liveReader(settings()).cluster(question([OLD_NAME]));
    assert.equal(read.status === "read" && read.value.get(OLD_NAME)?.length, 10);
  });

  it("with guard.namespaces, lists each namespace and nothing cluster-wide", async () => {
    fakeCluster.load({
      Pod: [objectReading("Pod", "b", "p", OLD_NAME), objectReading("Pod", "z", "q", OLD_NAME)],
    });
    const read = await liveReader(settings()).cluster(question([OLD_NAME], ["a", "b"]));
    assert.deepEqual(read.status === "read" && read.value.get(OLD_NAME), [
      { kind: "Pod", namespace: "b", name: "p" },
    ]);
    assert.ok(fakeCluster.requests.every((r) => /\/namespaces\/(a|b)\//.test(r.path)));
  });

  it("a list the credentials may not make is unavailable, naming the kind, the scope and the status", async () => {
    fakeCluster.forbidden.add("/apis/apps/v1/replicasets");
    const read = await liveReader(settings()).cluster(question([OLD_NAME]));
    assert.equal(read.status, "unavailable");
    assert.match(
      (read as { reason: string }).reason,
      /list ReplicaSets in all namespaces: HTTP 403: forbidden/,
    );
  });

  it("a server that stops answering within the time limit is unavailable, not a hang", async () => {
    const server = http.createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "silent-"));
    const file = path.join(dir, "config");
    fs.writeFileSync(
      file,
      kubeconfigFor(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
    try {
      const read = await liveReader({
        cluster: { kubeconfig: file },
        aws: {},
        timeoutMs: 300,
      }).cluster(question([OLD_NAME]));
      assert.deepEqual(read, { status: "unavailable", reason: "no answer within 0.3 s" });
    } finally {
      server.closeAllConnections();
      server.close();
      fs.rmSync(dir, { recursive: true });
    }
  });
});

describe("reference guard: the kubeconfig the Kubernetes provider uses", () => {
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "home-"));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));
  const server = (kc: ReturnType<typeof loadKubeConfig>) =>
    "config" in kc ? kc.config.getCurrentCluster()?.server : kc.unavailable;

  it("kubernetes:kubeconfig is a path when the file exists (with ~ expanded), else the contents", () => {
    fs.writeFileSync(path.join(home, "kc"), kubeconfigFor("https://from-file:6443"));
    assert.equal(
      server(loadKubeConfig({ kubeconfig: "~/kc" }, {}, home)),
      "https://from-file:6443",
    );
    assert.equal(
      server(loadKubeConfig({ kubeconfig: kubeconfigFor("https://inline:6443") }, {}, home)),
      "https://inline:6443",
    );
  });

  it("without it, KUBECONFIG (first file's current context), then ~/.kube/config", () => {
    const a = path.join(home, "a");
    const b = path.join(home, "b");
    fs.writeFileSync(a, kubeconfigFor("https://a:6443", "a"));
    fs.writeFileSync(b, kubeconfigFor("https://b:6443", "b"));
    assert.equal(
      server(loadKubeConfig({}, { KUBECONFIG: `${a}${path.delimiter}${b}` }, home)),
      "https://a:6443",
    );
    assert.equal(
      server(loadKubeConfig({ context: "b" }, { KUBECONFIG: `${a}${path.delimiter}${b}` }, home)),
      "https://b:6443",
    );
    fs.mkdirSync(path.join(home, ".kube"));
    fs.writeFileSync(path.join(home, ".kube", "config"), kubeconfigFor("https://default:6443"));
    assert.equal(server(loadKubeConfig({}, {}, home)), "https://default:6443");
  });

  it("no configuration at all, or an unknown context, is unavailable and says what to set", () => {
    assert.match(
      String(server(loadKubeConfig({}, {}, home))),
      /no Kubernetes configuration: set kubernetes:kubeconfig, KUBECONFIG/,
    );
    fs.writeFileSync(path.join(home, "kc"), kubeconfigFor("https://a:6443"));
    assert.match(
      String(
        server(loadKubeConfig({ kubeconfig: path.join(home, "kc"), context: "prod" }, {}, home)),
      ),
      /kubernetes:context "prod" is not a context/,
    );
  });
});

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

describe("reference guard: rotate, then clean up only what nothing uses", () => {
  it("keeps an expired version an unowned Deployment still reads, as referenced, naming it", async () => {
    fakeCluster.load({ Deployment: [objectReading("Deployment", "team-a", "legacy", OLD_NAME)] });
    const run = await pruneUpdate();
    assert.equal(run.error, undefined, run.error?.message);
    const report = versionReport(run, OLD);
    assert.equal(report.state, "referenced");
    assert.deepEqual(report.referencedBy, ["Deployment team-a/legacy"]);
    assert.ok(declaredVersions(run).includes(OLD), "its resources stay declared");
    assert.ok(
      warnings(run).some(
        (w) => w.includes(`version ${OLD}`) && w.includes("Deployment team-a/legacy"),
      ),
      warnings(run).join("\n"),
    );
    assert.deepEqual(guardOf(run).kept, [`auth-api-secrets ${OLD}`]);
    assert.equal(guardOf(run).kubernetes.status, "read");
  });

  it("the rollout history of a workload it does not own counts, even scaled to 0", async () => {
    fakeCluster.load({
      ReplicaSet: [
        objectReading("ReplicaSet", "team-a", "legacy-5d4f", OLD_NAME, "volume", {
          ownerKind: "Deployment",
        }),
      ],
    });
    const run = await pruneUpdate();
    assert.deepEqual(versionReport(run, OLD).referencedBy, ["ReplicaSet team-a/legacy-5d4f"]);
  });

  it("every guarded kind counts, through every way a pod reads a Secret", async () => {
    const ways = ["envFrom", "secretKeyRef", "volume", "projected", "imagePullSecrets"] as const;
    const objects = Object.fromEntries(
      GUARD_KINDS.map((kind, i) => [
        kind,
        [objectReading(kind, "team-b", `r-${kind.toLowerCase()}`, OLD_NAME, ways[i % ways.length])],
      ]),
    );
    fakeCluster.load(objects);
    const run = await pruneUpdate();
    assert.deepEqual(
      versionReport(run, OLD).referencedBy,
      GUARD_KINDS.map((kind) => `${kind} team-b/r-${kind.toLowerCase()}`).sort(),
    );
  });

  it("finished Jobs and Pods, and the program's own workloads that this update moves on, do not hold a version", async () => {
    const labels = { [LABELS.app]: "auth-service", [LABELS.managedBy]: MANAGED_BY };
    fakeCluster.load({
      Job: [
        objectReading("Job", "staging", "token-refresh-1", OLD_NAME, "envFrom", {
          status: { conditions: [{ type: "Complete", status: "True" }] },
        }),
      ],
      Pod: [
        objectReading("Pod", "staging", "token-refresh-1-x", OLD_NAME, "envFrom", {
          status: { phase: "Succeeded" },
        }),
        objectReading("Pod", "staging", "auth-service-5d4f-abc", OLD_NAME, "envFrom", {
          labels,
          ownerKind: "ReplicaSet",
        }),
      ],
      Deployment: [
        objectReading("Deployment", "staging", "auth-service", OLD_NAME, "envFrom", { labels }),
      ],
    });
    const run = await pruneUpdate();
    assert.equal(versionReport(run, OLD).state, "expired");
    assert.ok(!declaredVersions(run).includes(OLD));
  });

  it("a same-named reference in another namespace counts: Secret mirroring tools keep the name", async () => {
    fakeCluster.load({ Pod: [objectReading("Pod", "mirror", "reader", OLD_NAME)] });
    assert.equal(versionReport(await pruneUpdate(), OLD).state, "referenced");
  });

  it("asks the cluster nothing when this update prunes nothing", async () => {
    const runs = await runHistory([{ config: baseConfig(), now: BEFORE }]);
    assert.equal(guardOf(runs[0]).kubernetes.status, "skipped");
    assert.deepEqual(fakeCluster.requests, []);
  });

  it("when the cluster cannot be read, prunes nothing, keeps what the last update declared, and says why", async () => {
    fakeCluster.broken = true;
    const run = await pruneUpdate();
    assert.equal(run.error, undefined, run.error?.message);
    assert.equal(versionReport(run, OLD).state, "referenced");
    assert.ok(declaredVersions(run).includes(OLD));
    assert.equal(guardOf(run).kubernetes.status, "unavailable");
    assert.ok(
      warnings(run).some(
        (w) =>
          w.includes("the cluster could not be read") &&
          w.includes("HTTP 500") &&
          w.includes("guard.kubernetes false"),
      ),
      warnings(run).join("\n"),
    );
  });

  it("the fail-safe never brings a pruned version back", async () => {
    const config = baseConfig();
    const runs = await runHistory([
      { config, now: BEFORE },
      { config, now: LATER },
    ]);
    assert.equal(versionReport(runs[1], OLD).state, "expired");
    fakeCluster.broken = true;
    const DAYS_LATER = "20251001000000";
    // 20250715100000 expires too by then: the previous update declared it, so it is kept.
    const run = await declare(config, { now: DAYS_LATER, previous: runs[1].outputs });
    assert.equal(run.error, undefined, run.error?.message);
    assert.equal(versionReport(run, OLD).state, "pruned");
    assert.ok(!declaredVersions(run).includes(OLD));
    assert.equal(versionReport(run, "20250715100000").state, "previous");
  });

  it("guard.kubernetes: false prunes as planned without asking the cluster", async () => {
    fakeCluster.load({ Deployment: [objectReading("Deployment", "team-a", "legacy", OLD_NAME)] });
    const config = baseConfig();
    config.guard = { kubernetes: false };
    const run = await pruneUpdate(config);
    assert.equal(versionReport(run, OLD).state, "expired");
    assert.deepEqual(fakeCluster.requests, []);
    assert.equal(guardOf(run).kubernetes.status, "off");
  });

  it("a version removed from config while something still reads it is refused, naming the reader", async () => {
    fakeCluster.load({ Pod: [objectReading("Pod", "team-a", "batch-7", OLD_NAME)] });
    const config = baseConfig();
    delete secretOf(config).versions[OLD];
    const run = await pruneUpdate(config, { now: "20250725000000" });
    assert.ok(run.error, "refused");
    assert.match(
      run.error.message,
      new RegExp(`version ${OLD} was removed from the config.*Pod team-a/batch-7`),
    );
    assert.deepEqual(ofType(run, TYPES.awsSecret), []);
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

describe("reference guard offline: npm run plan -- <stack> --cluster FILE --aws FILE", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "guard-plan-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The second update of the prune history, offline, with the guard's files (if any). */
  async function offlinePlan(files: { cluster?: string; aws?: string }): Promise<ProgramRun> {
    const first = await runHistory([{ config: baseConfig(), now: BEFORE }]);
    const previous = path.join(dir, "previous.json");
    fs.writeFileSync(previous, JSON.stringify(first[0].outputs));
    return runProgram({
      stack: "staging",
      config: projectConfig(baseConfig()),
      now: new Date(Date.UTC(2025, 8, 1)).toISOString(),
      readers: {
        outputs: fileReader({ previous }),
        live: fileLiveReader(files),
      },
    });
  }

  it("without the files, says the guard was not checked and which versions it would ask about", async () => {
    const run = await offlinePlan({});
    assert.equal(run.error, undefined, run.error?.message);
    assert.equal(versionReport(run, OLD).state, "expired");
    const text = renderPlan("staging", new Date(Date.UTC(2025, 8, 1)), run);
    assert.match(
      text,
      /cluster: not checked: pass --cluster FILE, written by: kubectl get deployments,replicasets,statefulsets,daemonsets,jobs,cronjobs,pods -A -o json --show-managed-fields > FILE/,
    );
    assert.match(text, new RegExp(`asked about: auth-api-secrets ${OLD}`));
    assert.ok(
      run.logs.some((l) =>
        l.includes(
          `reference guard not checked against the cluster (offline: no --cluster FILE): it would ask about ${OLD_NAME}`,
        ),
      ),
      run.logs.join("\n"),
    );
  });

  it("with kubectl's and the AWS CLI's output, shows the referrers and the kept version", async () => {
    const cluster = path.join(dir, "cluster.json");
    const awsFile = path.join(dir, "aws.json");
    fs.writeFileSync(
      cluster,
      JSON.stringify({
        apiVersion: "v1",
        kind: "List",
        items: [
          {
            apiVersion: "apps/v1",
            kind: "StatefulSet",
            ...objectReading("StatefulSet", "data", "db", OLD_NAME, "projected"),
          },
        ],
      }),
    );
    // The AWS CLI prints dates as ISO text.
    fs.writeFileSync(
      awsFile,
      JSON.stringify({
        SecretList: [
          { Name: `staging/${OLD_NAME}`, LastAccessedDate: "2025-07-30T00:00:00+00:00" },
        ],
      }),
    );
    const run = await offlinePlan({ cluster, aws: awsFile });
    assert.deepEqual(versionReport(run, OLD).referencedBy, ["StatefulSet data/db"]);
    const text = renderPlan("staging", new Date(Date.UTC(2025, 8, 1)), run);
    assert.match(text, new RegExp(`${OLD} +referenced \\(kept: StatefulSet data/db\\)`));
    assert.match(text, /cluster: checked/);
    assert.match(text, new RegExp(`kept: auth-api-secrets ${OLD}`));
  });

  it("refuses a file that is not what the command writes, naming the command (exit 2)", async () => {
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, JSON.stringify({ kind: "Deployment" }));
    const err: string[] = [];
    const code = await main(["node", "plan", "staging", "--cluster", bad], {
      out: () => undefined,
      err: (t) => err.push(t),
    });
    assert.equal(code, 2);
    assert.match(
      err.join("\n"),
      /--cluster .*bad.json: not a Kubernetes list \(no "items"\); write it with: kubectl get/,
    );
    const awsCode = await main(["node", "plan", "staging", "--aws", bad], {
      out: () => undefined,
      err: (t) => err.push(t),
    });
    assert.equal(awsCode, 2);
    assert.match(
      err.join("\n"),
      /--aws .*bad.json: no "SecretList"; write it with: aws secretsmanager list-secrets --include-planned-deletion --output json/,
    );
  });
});
