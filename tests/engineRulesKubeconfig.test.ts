/**
 * Engine rules the guard's cluster reads rely on: the kubeconfig as client-go loads it, and
 * paged lists. Versions: kubernetes/client-go master 32ce75a; pulumi-kubernetes master 94977969
 * (after v4.32.0).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isResourceExpired } from "../reads/cluster";
import { loadKubeConfig } from "../reads/kubeconfig";
import { parseClusterSettings } from "../reads/live";
import { kubeconfigFor } from "../fakes/kubeApi";

const keysOf = (problems: { key?: string }[]) => problems.map((p) => p.key).sort();

describe("engine rules: the kubeconfig as client-go loads it (tools/clientcmd/loader.go ClientConfigLoadingRules.Load, client_config.go DirectClientConfig; pulumi-kubernetes provider.go Configure ConfigOverrides)", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "kc-rules-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A kubeconfig with the given clusters (name → server), users and contexts. */
  const kubeconfig = (spec: {
    clusters?: Record<string, string>;
    users?: Record<string, Record<string, unknown>>;
    contexts?: Record<string, { cluster: string; user?: string }>;
    current?: string;
  }) =>
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: Object.entries(spec.clusters ?? {}).map(([name, server]) => ({
        name,
        cluster: { server },
      })),
      users: Object.entries(spec.users ?? {}).map(([name, user]) => ({ name, user })),
      contexts: Object.entries(spec.contexts ?? {}).map(([name, context]) => ({ name, context })),
      ...(spec.current !== undefined && { "current-context": spec.current }),
    });
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  const loaded = (settings: Parameters<typeof loadKubeConfig>[0], env: NodeJS.ProcessEnv) => {
    const kc = loadKubeConfig(settings, env, dir);
    if ("unavailable" in kc) return { unavailable: kc.unavailable };
    return {
      server: kc.config.getCurrentCluster()?.server,
      user: kc.config.getCurrentUser()?.name,
      token: kc.config.getCurrentUser()?.token,
    };
  };

  it("KUBECONFIG with a missing file and two files: the first file to define a name wins, whole; the first non-empty current-context", () => {
    const first = write(
      "first",
      kubeconfig({
        clusters: { shared: "https://first:6443" },
        users: { admin: { token: "first-token" } },
        contexts: { work: { cluster: "shared", user: "admin" } },
        current: "",
      }),
    );
    const second = write(
      "second",
      kubeconfig({
        // Same names again: client-go keeps the first file's entries (client-node would throw).
        clusters: { shared: "https://second:6443", other: "https://other:6443" },
        users: { admin: { token: "second-token" } },
        contexts: { work: { cluster: "other", user: "admin" } },
        current: "work",
      }),
    );
    const KUBECONFIG = [path.join(dir, "missing"), first, second, first].join(path.delimiter);
    assert.deepEqual(loaded({}, { KUBECONFIG }), {
      server: "https://first:6443",
      user: "admin",
      token: "first-token",
    });
  });

  it("kubernetes:cluster replaces the context's cluster and keeps its user; a cluster or context that does not exist is unavailable, named", () => {
    const file = write(
      "kc",
      kubeconfig({
        clusters: { a: "https://a:6443", b: "https://b:6443" },
        users: { u: { token: "t" } },
        contexts: { ctx: { cluster: "a", user: "u" } },
        current: "ctx",
      }),
    );
    assert.deepEqual(loaded({ cluster: "b" }, { KUBECONFIG: file }), {
      server: "https://b:6443",
      user: "u",
      token: "t",
    });
    assert.deepEqual(loaded({ kubeconfig: file, cluster: "b" }, {}).server, "https://b:6443");
    assert.match(
      String(loaded({ cluster: "c" }, { KUBECONFIG: file }).unavailable),
      /kubernetes:cluster "c" is not a cluster of the kubeconfig/,
    );
    assert.match(
      String(loaded({ context: "nope" }, { KUBECONFIG: file }).unavailable),
      /kubernetes:context "nope" is not a context/,
    );
    const dangling = write(
      "dangling",
      kubeconfig({ clusters: { a: "https://a:6443" }, current: "gone" }),
    );
    assert.match(
      String(loaded({}, { KUBECONFIG: dangling }).unavailable),
      /current-context "gone" is not one of its contexts/,
    );
  });

  it("a file that exists but cannot be read is unavailable, naming it (only a missing file is skipped)", () => {
    fs.mkdirSync(path.join(dir, "a-directory"));
    const ok = write("ok", kubeconfigFor("https://ok:6443"));
    assert.match(
      String(
        loaded({}, { KUBECONFIG: [path.join(dir, "a-directory"), ok].join(path.delimiter) })
          .unavailable,
      ),
      /the kubeconfig .*a-directory cannot be read/,
    );
  });

  it("relative paths and tokenFile resolve against the KUBECONFIG file's folder (ResolveLocalPaths); kubernetes:kubeconfig's contents are used as they are (clientcmd.Load)", () => {
    fs.mkdirSync(path.join(dir, "conf"));
    fs.writeFileSync(path.join(dir, "conf", "token"), "token-from-file");
    const text = kubeconfig({
      clusters: { c: "https://c:6443" },
      users: { u: { tokenFile: "token" } },
      contexts: { x: { cluster: "c", user: "u" } },
      current: "x",
    });
    const file = path.join(dir, "conf", "kc");
    fs.writeFileSync(file, text);
    const kc = loadKubeConfig({}, { KUBECONFIG: file }, dir);
    assert.ok("config" in kc);
    assert.deepEqual(kc.config.getCurrentUser()?.authProvider, {
      name: "tokenFile",
      config: { tokenFile: path.join(dir, "conf", "token") },
    });
    const inline = loadKubeConfig({ kubeconfig: text }, {}, dir);
    assert.ok("config" in inline);
    assert.equal(inline.config.getCurrentUser()?.authProvider?.config?.tokenFile, "token");
  });

  it("kubernetes:renderYamlToDirectory leaves the provider no cluster: refused, naming the key (provider.go Configure)", () => {
    const { settings, problems } = parseClusterSettings({
      renderYamlToDirectory: "out",
      context: "c",
      cluster: "k",
    });
    assert.deepEqual(settings, { context: "c", cluster: "k" });
    assert.deepEqual(keysOf(problems), ["kubernetes:renderYamlToDirectory"]);
  });
});

describe("engine rules: paged lists (client-go tools/pager/pager.go ListPager.list; apimachinery errors.IsResourceExpired)", () => {
  it("an expired continue token is HTTP 410 with reason Expired; other 410s are errors", () => {
    const expired = {
      code: 410,
      body: JSON.stringify({ kind: "Status", reason: "Expired", code: 410 }),
    };
    assert.ok(isResourceExpired(expired));
    assert.ok(isResourceExpired({ code: 410, body: { reason: "Expired" } }));
    assert.ok(!isResourceExpired({ code: 410, body: { reason: "Gone" } }));
    assert.ok(!isResourceExpired({ code: 500, body: { reason: "Expired" } }));
  });
});
