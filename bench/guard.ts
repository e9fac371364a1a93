/**
 * The guard benchmark: a fake cluster of 20,000 Pods, 5,000 ReplicaSets and 2,000 Deployments
 * (pod specs shaped like real ones: two containers, env, envFrom, volumes, owner references)
 * served by the loopback list API in pages of 500, scanned by the live reader in a child
 * process. Prints the scan's time and peak resident memory, median of runs. Targets: 3 s and
 * 200 MB on the 2-core machine. Then the same with the inventory's scan fed from the same
 * pages (`npm run inventory`): target within 1.2x the guard scan's time and memory.
 */
import { execFile } from "child_process";
import * as path from "path";
import { FakeKubeApi, type FakeObject } from "../fakes/kubeApi";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SHAPE = { Pod: 20_000, ReplicaSet: 5_000, Deployment: 2_000 };
/** 50 versions asked about; 1 object in 100 references one of them. */
const ASKED = Array.from(
  { length: 50 },
  (_, i) => `app-secrets-2025${String(i).padStart(10, "0")}`,
);

function podSpec(i: number): Record<string, unknown> {
  const secret = i % 100 === 0 ? ASKED[i % ASKED.length] : `team-${i % 40}-config`;
  const container = (name: string) => ({
    name,
    image: `registry.example.com/team-${i % 40}/${name}:1.${i % 17}.0`,
    env: Array.from({ length: 8 }, (_, k) => ({ name: `VAR_${k}`, value: `value-${i}-${k}` })),
    envFrom: [{ secretRef: { name: secret } }, { configMapRef: { name: `cm-${i % 40}` } }],
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
    volumeMounts: [{ name: "certs", mountPath: "/etc/certs", readOnly: true }],
  });
  return {
    containers: [container("app"), container("sidecar")],
    volumes: [{ name: "certs", secret: { secretName: `certs-${i % 40}` } }],
    imagePullSecrets: [{ name: "registry" }],
  };
}

function object(kind: string, i: number): FakeObject {
  const namespace = `team-${i % 40}`;
  const labels = { "app.kubernetes.io/name": `app-${i % 500}`, "pod-template-hash": `h${i}` };
  const metadata = {
    name: `${kind.toLowerCase()}-${i}`,
    namespace,
    uid: `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`,
    resourceVersion: String(1000 + i),
    labels,
    annotations: { "deployment.kubernetes.io/revision": String(i % 10) },
    ...(kind !== "Deployment" && {
      ownerReferences: [
        {
          apiVersion: "apps/v1",
          kind: kind === "Pod" ? "ReplicaSet" : "Deployment",
          name: `owner-${i}`,
          uid: `u-${i}`,
          controller: true,
        },
      ],
    }),
  };
  if (kind === "Pod") {
    return {
      metadata,
      spec: podSpec(i),
      status: { phase: "Running", podIP: `10.0.${i % 250}.${i % 200}` },
    };
  }
  return {
    metadata,
    spec: {
      replicas: kind === "ReplicaSet" ? i % 3 : 3,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: podSpec(i) },
    },
    status: { replicas: 3, readyReplicas: 3 },
  };
}

async function main(): Promise<void> {
  const cluster = new FakeKubeApi();
  await cluster.start();
  cluster.load({
    Pod: Array.from({ length: SHAPE.Pod }, (_, i) => object("Pod", i)),
    ReplicaSet: Array.from({ length: SHAPE.ReplicaSet }, (_, i) => object("ReplicaSet", i)),
    Deployment: Array.from({ length: SHAPE.Deployment }, (_, i) => object("Deployment", i)),
  });
  type Run = { ms: number; loadedMB: number; maxRssMB: number; referrers: number };
  const scans = async (mode: "guard" | "inventory") => {
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      // The child scans while this process serves, so both are awaited asynchronously.
      const out = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          ["--import", "tsx", path.resolve(__dirname, "guardScan.ts"), JSON.stringify(ASKED), mode],
          { env: { ...process.env, KUBECONFIG: cluster.kubeconfig } },
          (err, stdout, stderr) =>
            err ? reject(new Error(stderr || err.message)) : resolve(stdout),
        );
      });
      runs.push(JSON.parse(out.trim().split("\n").pop()!) as Run);
    }
    return runs;
  };
  let guard: Run[];
  let inventory: Run[];
  try {
    guard = await scans("guard");
    inventory = await scans("inventory");
  } finally {
    await cluster.stop();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const pages = cluster.requests.filter((r) => r.path === "/api/v1/pods").length / (2 * RUNS);
  console.log(
    "scan       objects  pod pages  scan ms  RSS before scan MB  peak RSS MB  scan's own MB  referrers",
  );
  for (const [name, runs] of [
    ["guard", guard],
    ["inventory", inventory],
  ] as const) {
    const column = (pick: (r: Run) => number, width: number) =>
      median(runs.map(pick)).toFixed(0).padStart(width);
    console.log(
      [
        name.padEnd(9),
        String(SHAPE.Pod + SHAPE.ReplicaSet + SHAPE.Deployment).padStart(7),
        String(pages).padStart(9),
        column((r) => r.ms, 7),
        column((r) => r.loadedMB, 18),
        column((r) => r.maxRssMB, 11),
        column((r) => r.maxRssMB - r.loadedMB, 13),
        String(runs[0].referrers).padStart(9),
      ].join("  "),
    );
  }
  const ratio = (pick: (r: Run) => number) =>
    (median(inventory.map(pick)) / median(guard.map(pick))).toFixed(2);
  console.log(
    `median of ${RUNS} scans each, each in a fresh process; node ${process.version}; targets 3000 ms, 200 MB; ` +
      `inventory/guard: time ${ratio((r) => r.ms)}x, peak RSS ${ratio((r) => r.maxRssMB)}x (target 1.2x)`,
  );
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
