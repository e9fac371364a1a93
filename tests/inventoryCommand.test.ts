/**
 * `npm run inventory`: the command against the loopback Kubernetes API (through the
 * kubeconfig the root hooks put in KUBECONFIG) and the mocked Secrets Manager, and against the
 * `--cluster` and `--aws` files.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fakeAws, fakeCluster } from "../fakes/world";
import { main } from "../scripts/inventory";
import {
  NEW,
  NEW_NAME,
  OLD,
  OLD_NAME,
  SECRET,
  byKind,
  ownLabels,
  pod,
  rollout,
} from "./inventoryHelpers";

const STACK = `config:
  aws:region: us-east-1
  secret-rotation:retentionDays: 7
  secret-rotation:secrets:
    ${SECRET}:
      active: "${NEW}"
      versions:
        "${OLD}": { api_token: { secure: v1:aaaa } }
        "${NEW}": { api_token: { secure: v1:bbbb } }
  secret-rotation:workloads:
    auth-service:
      kind: Deployment
      image: registry.example.com/auth-service:1.8.0
      replicas: 2
      secrets: [${SECRET}]
`;

describe("npm run inventory", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "inventory-"));
    fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), STACK);
    fakeAws.secrets = [
      { Name: `staging/${SECRET}-${OLD}`, LastAccessedDate: new Date("2026-11-20T00:00:00Z") },
      { Name: `staging/${SECRET}-${NEW}`, LastAccessedDate: new Date("2026-11-29T00:00:00Z") },
    ];
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function run(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    let t = 0;
    const code = await main(
      ["node", "inventory", "staging", "--dir", dir, "--at", "2026-12-01T00:00:00Z", ...args],
      // A clock that moves 400 ms each time it is read: the progress line's, never a timing.
      { out: (s) => out.push(s), err: (s) => err.push(s), now: () => (t += 400) },
    );
    return { code, out: out.join("\n"), err: err.join("\n") };
  }
  const rowsOf = (text: string, start: string) =>
    text
      .split("\n")
      .filter((l) => l.startsWith(start))
      .map((l) => l.split(/\s{2,}/));

  it("pods on two versions, and a stale Deployment after a rotation: tables, exit 1", async () => {
    fakeCluster.load(byKind(rollout("staging", "auth-service", 1, 2, ownLabels("auth-service"))));
    const r = await run();
    assert.equal(r.code, 1, r.err);
    assert.deepEqual(rowsOf(r.out, SECRET).slice(0, 2), [
      [SECRET, OLD, "previous", "41d", "-", "1", "1", "2026-11-20", "-", "stale"],
      [SECRET, NEW, "active", "20d", "-", "2", "2", "2026-11-29", "-", "-"],
    ]);
    assert.match(
      r.out,
      /^stale\s{2,}auth-api-secrets\s{2,}20261020100000\s{2,}Deployment staging\/auth-service\s{2,}1 pod; the config links 20261110100000$/m,
    );
    assert.doesNotMatch(r.out, /api_token|v1:/);
  });

  it("--json: the same as data", async () => {
    fakeCluster.load(byKind(rollout("staging", "auth-service", 1, 2, ownLabels("auth-service"))));
    const r = await run("--json");
    assert.equal(r.code, 1);
    const data = JSON.parse(r.out);
    assert.equal(data.cluster, "live");
    assert.deepEqual(data.flags.stale, [
      {
        secret: SECRET,
        version: OLD,
        workload: "Deployment staging/auth-service",
        pods: 1,
        linked: NEW,
      },
    ]);
    assert.deepEqual(
      data.secrets[0].versions.map((v: { kubernetesName: string; pods: number }) => [
        v.kubernetesName,
        v.pods,
      ]),
      [
        [OLD_NAME, 1],
        [NEW_NAME, 2],
      ],
    );
  });

  it("an unknown referrer: another team's Deployment on the previous version, exit 1", async () => {
    fakeCluster.load(
      byKind([
        ...rollout("staging", "auth-service", 0, 2, ownLabels("auth-service")),
        ...rollout("team-a", "legacy", 1, 0),
      ]),
    );
    const r = await run("--json");
    assert.equal(r.code, 1);
    const data = JSON.parse(r.out);
    assert.deepEqual(data.flags.stale, []);
    assert.deepEqual(
      data.flags.unknown.map((f: { version: string; workload: string; through: string }) => [
        f.version,
        f.workload,
        f.through,
      ]),
      [
        [OLD, "Deployment team-a/legacy", "pods"],
        [NEW, "Deployment team-a/legacy", "template"],
      ],
    );
  });

  it("an expired version something still uses: referenced, as the update's guard would keep it", async () => {
    const oldest = "20260901100000";
    fs.writeFileSync(
      path.join(dir, "Pulumi.staging.yaml"),
      STACK.replace(
        "      versions:\n",
        `      versions:\n        "${oldest}": { api_token: { secure: v1:cccc } }\n`,
      ),
    );
    fakeCluster.load(byKind([pod("team-a", "legacy", `${SECRET}-${oldest}`)]));
    const r = await run("--json");
    const data = JSON.parse(r.out);
    assert.deepEqual(
      data.secrets[0].versions.map((v: { version: string; state: string }) => [v.version, v.state]),
      [
        [oldest, "referenced"],
        [OLD, "previous"],
        [NEW, "active"],
      ],
    );
    fakeCluster.load({});
    const gone = JSON.parse((await run("--json")).out);
    assert.equal(gone.secrets[0].versions[0].state, "expired");
  });

  it("nothing flagged after the rollout: exit 0, the old ReplicaSet listed as history", async () => {
    fakeCluster.load(byKind(rollout("staging", "auth-service", 0, 2, ownLabels("auth-service"))));
    const r = await run();
    assert.equal(r.code, 0, r.out);
    assert.match(
      r.out,
      /ReplicaSet auth-service-old\s{2,}staging\s{2,}history \(revision 1\)\s{2,}Deployment staging\/auth-service\s{2,}owned/,
    );
    assert.match(r.out, /^FLAGS\n\(none\)$/m);
  });

  it("an overdue active version (maxAgeDays, counted from its id without memory): flagged, exit 1", async () => {
    fakeCluster.load(byKind(rollout("staging", "auth-service", 0, 2, ownLabels("auth-service"))));
    const stack = STACK.replace(
      "  secret-rotation:secrets:\n",
      "  secret-rotation:maxAgeDays: 1\n  secret-rotation:secrets:\n",
    );
    fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), stack);
    const r = await run();
    assert.equal(r.code, 1, r.out);
    assert.match(
      r.out,
      new RegExp(`overdue[^\\n]*${SECRET}[^\\n]*${NEW}|${SECRET}[^\\n]*${NEW}[^\\n]*overdue`),
    );
    const data = JSON.parse((await run("--json")).out) as {
      flags: { overdue: { secret: string; version: string; maxAgeDays: number }[] };
    };
    assert.deepEqual(
      data.flags.overdue.map((f) => [f.secret, f.version, f.maxAgeDays]),
      [[SECRET, NEW, 1]],
    );
  });

  it("an unreadable cluster: exit 2 with the reason, naming the stack", async () => {
    fakeCluster.broken = true;
    const r = await run();
    assert.equal(r.code, 2);
    assert.equal(r.out, "");
    assert.match(
      r.err,
      /^stack "staging": the cluster could not be read: list Deployments in all namespaces: HTTP 500: the fake API server is down$/m,
    );
  });

  it("AWS unreadable, or a file that cannot be read: exit 2 with the reason, naming the stack", async () => {
    fakeAws.failure = Object.assign(new Error("User is not authorized"), {
      name: "AccessDeniedException",
    });
    const aws = await run();
    assert.equal(aws.code, 2);
    assert.match(
      aws.err,
      /^stack "staging": AWS could not be read: list-secrets staging\/\*: AccessDeniedException: User is not authorized$/m,
    );
    const missing = await run(
      "--cluster",
      path.join(dir, "nope.json"),
      "--aws",
      path.join(dir, "nope.json"),
    );
    assert.equal(missing.code, 2);
    assert.match(missing.err, /^stack "staging": --aws .*nope\.json: ENOENT/m);
    // A cluster file alone: its error is all that is printed (AWS is not checked, not the cause).
    const cluster = await run("--cluster", path.join(dir, "nope.json"));
    assert.equal(cluster.code, 2);
    assert.match(cluster.err, /^stack "staging": --cluster .*nope\.json: ENOENT[^\n]*\n?$/);
  });

  it("paging: every list is read in pages to its end; a progress line once the scan runs past a second", async () => {
    fakeCluster.maxPage = 2;
    const pods = Array.from({ length: 7 }, (_, i) =>
      pod("team-a", `bare-${i}`, OLD_NAME, { ready: i % 2 === 0 }),
    );
    fakeCluster.load(
      byKind([...rollout("staging", "auth-service", 0, 2, ownLabels("auth-service")), ...pods]),
    );
    const r = await run("--json");
    const data = JSON.parse(r.out);
    assert.deepEqual([data.secrets[0].versions[0].pods, data.secrets[0].versions[0].ready], [7, 4]);
    const podRequests = fakeCluster.requests.filter((q) => q.path === "/api/v1/pods");
    assert.equal(podRequests.length, 5);
    assert.equal(podRequests.filter((q) => q.continue).length, 4);
    assert.match(r.err, /^inventory: \d+ objects read \(listing \w+s\)\.\.\.$/m);
  });

  it("--cluster without --aws: offline, AWS not checked (with the command to write the file)", async () => {
    const clusterFile = path.join(dir, "cluster.json");
    const objects = rollout("staging", "auth-service", 0, 2, ownLabels("auth-service"));
    fs.writeFileSync(
      clusterFile,
      JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }),
    );
    fakeAws.calls.length = 0;
    const r = await run("--cluster", clusterFile);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(fakeAws.calls, [], "AWS is not read live");
    assert.match(r.out, /AWS: unchecked\)/);
    assert.match(
      r.err,
      /AWS not checked: pass --aws FILE, written by: aws secretsmanager list-secrets/,
    );
  });

  it("--cluster and --aws files: the same inventory, and nothing read live", async () => {
    const objects = [
      ...rollout("staging", "auth-service", 1, 2, ownLabels("auth-service")),
      ...rollout("team-a", "legacy", 1, 0),
    ];
    fakeCluster.load(byKind(objects));
    const live = await run("--json");
    fakeCluster.reset();
    fakeAws.calls.length = 0;
    const clusterFile = path.join(dir, "cluster.json");
    fs.writeFileSync(
      clusterFile,
      JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }),
    );
    const awsFile = path.join(dir, "aws.json");
    fs.writeFileSync(awsFile, JSON.stringify({ SecretList: fakeAws.secrets }));
    const files = await run("--json", "--cluster", clusterFile, "--aws", awsFile);
    assert.equal(files.code, 1);
    assert.deepEqual(fakeCluster.requests, []);
    assert.deepEqual(fakeAws.calls, []);
    const strip = (text: string) => {
      const data = JSON.parse(text) as Record<string, unknown>;
      return { ...data, cluster: "", aws: "" };
    };
    assert.deepEqual(strip(files.out), strip(live.out));
  });
});
