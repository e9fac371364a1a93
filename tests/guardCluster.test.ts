/**
 * The reference guard's cluster read: a real HTTP server on the loopback interface speaking
 * the list API, read through @kubernetes/client-node, and the kubeconfig the Kubernetes
 * provider uses.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import type { AddressInfo } from "net";
import * as path from "path";
import { PAGE_SIZE } from "../reads/cluster";
import { loadKubeConfig } from "../reads/kubeconfig";
import { liveReader } from "../reads/live";
import { GUARD_KINDS } from "../plan/guard/references";
import { fakeCluster } from "../fakes/world";
import { kubeconfigFor, objectReading } from "../fakes/kubeApi";
import { OLD_NAME } from "./guardHelpers";

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
