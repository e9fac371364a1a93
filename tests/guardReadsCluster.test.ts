/**
 * Reference guard: the cluster the kubeconfig names (client-go loading rules,
 * kubernetes:cluster), and paging and the timeout on the cluster, through the loopback API.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { liveReader } from "../reads/live";
import { FakeKubeApi, objectReading } from "../fakes/kubeApi";
import { fakeCluster } from "../fakes/world";

const OLD_NAME = "auth-api-secrets-20250701090000";
const question = (names: string[]) => ({
  names: new Set(names),
  own: { namespace: "staging", names: new Set<string>() },
});

describe("reference guard: the cluster the kubeconfig names (client-go loading rules, kubernetes:cluster)", () => {
  const first = new FakeKubeApi();
  const second = new FakeKubeApi();
  let dir: string;
  before(async () => {
    await first.start();
    await second.start();
  });
  after(async () => {
    await first.stop();
    await second.stop();
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "kc-"));
    first.reset();
    second.reset();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A kubeconfig whose cluster `name` is at `server`, with a context of the same name. */
  const config = (clusters: Record<string, FakeKubeApi>, current?: string) =>
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: Object.entries(clusters).map(([name, api]) => ({
        name,
        cluster: { server: api.url, "insecure-skip-tls-verify": true },
      })),
      users: [{ name: "u", user: { token: "t" } }],
      contexts: Object.keys(clusters).map((name) => ({
        name,
        context: { cluster: name, user: "u" },
      })),
      ...(current && { "current-context": current }),
    });
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };

  it("KUBECONFIG with a missing file, then two files naming the same cluster: the first file's server is listed", async () => {
    first.load({ Deployment: [objectReading("Deployment", "team-a", "legacy", OLD_NAME)] });
    second.load({ Deployment: [objectReading("Deployment", "team-b", "other", OLD_NAME)] });
    const a = write("a", config({ prod: first }));
    const b = write("b", config({ prod: second, extra: second }, "prod"));
    const KUBECONFIG = [path.join(dir, "missing"), a, b].join(path.delimiter);
    const read = await liveReader({ cluster: {}, aws: {}, env: { KUBECONFIG }, home: dir }).cluster(
      question([OLD_NAME]),
    );
    assert.deepEqual(read.status === "read" && read.value.get(OLD_NAME), [
      { kind: "Deployment", namespace: "team-a", name: "legacy" },
    ]);
    assert.ok(first.requests.length > 0);
    assert.equal(second.requests.length, 0);
  });

  it("kubernetes:cluster lists the cluster it names, with the context's user", async () => {
    const file = write("kc", config({ prod: first, replica: second }, "prod"));
    const read = await liveReader({
      cluster: { kubeconfig: file, cluster: "replica" },
      aws: {},
      env: {},
      home: dir,
    }).cluster(question([OLD_NAME]));
    assert.equal(read.status, "read");
    assert.equal(first.requests.length, 0);
    assert.ok(second.requests.length > 0);
  });
});

describe("reference guard: paging and the timeout on the cluster", () => {
  const settings = (timeoutMs?: number) => ({
    cluster: { kubeconfig: fakeCluster.kubeconfig },
    aws: {},
    ...(timeoutMs && { timeoutMs }),
  });
  const pods = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      objectReading("Pod", "ns", `pod-${i}`, i % 2 === 0 ? OLD_NAME : "other"),
    );

  it("an expired continue token (410 Expired) restarts that list once from its first page; each referrer counts once", async () => {
    fakeCluster.maxPage = 2;
    fakeCluster.load({ Pod: pods(5) });
    fakeCluster.expireContinues = 1;
    const read = await liveReader(settings()).cluster(question([OLD_NAME]));
    assert.equal(read.status, "read", JSON.stringify(read));
    assert.deepEqual(
      (read.status === "read" ? (read.value.get(OLD_NAME) ?? []) : []).map((r) => r.name),
      ["pod-0", "pod-2", "pod-4"],
    );
    const podLists = fakeCluster.requests.filter((r) => r.path === "/api/v1/pods");
    assert.deepEqual(
      podLists.map((r) => r.continue !== undefined),
      [false, true, false, true, true],
      "first page, expired continue, then the whole list again",
    );
  });

  it("a second expiry makes the cluster unavailable, saying why", async () => {
    fakeCluster.maxPage = 2;
    fakeCluster.load({ Pod: pods(5) });
    fakeCluster.expireContinues = 2;
    const read = await liveReader(settings()).cluster(question([OLD_NAME]));
    assert.equal(read.status, "unavailable");
    assert.match(
      (read as { reason: string }).reason,
      /list Pods in all namespaces: the continue token expired twice \(HTTP 410 Expired\)/,
    );
  });

  it("the timeout aborts a linked workload's GET in flight too", async () => {
    const path = "/apis/apps/v1/namespaces/billing/deployments/api";
    fakeCluster.held.add(path);
    const read = await liveReader(settings(300)).linked({
      targets: [{ kind: "Deployment", namespace: "billing", name: "api" }],
    });
    assert.deepEqual(read, { status: "unavailable", reason: "no answer within 0.3 s" });
    await fakeCluster.whenAbandoned();
    assert.deepEqual(fakeCluster.abandoned, [path]);
  });

  it("the timeout aborts the list in flight and the scan lists nothing after it", async () => {
    fakeCluster.held.add("/apis/apps/v1/replicasets");
    const read = await liveReader(settings(300)).cluster(question([OLD_NAME]));
    assert.deepEqual(read, { status: "unavailable", reason: "no answer within 0.3 s" });
    await fakeCluster.whenAbandoned();
    assert.deepEqual(fakeCluster.abandoned, ["/apis/apps/v1/replicasets"]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      fakeCluster.requests.map((r) => r.path),
      ["/apis/apps/v1/deployments", "/apis/apps/v1/replicasets"],
    );
  });
});
