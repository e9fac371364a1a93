/**
 * One guard scan in a fresh process, so its time and peak memory are the scan's own: reads the
 * cluster `KUBECONFIG` points at with the guard's scan (client-node, pages of 500) and prints
 * `{ ms, loadedMB, maxRssMB, referrers }` as JSON. With `inventory` as the second argument, the
 * same read feeds the inventory's scan too, as `npm run inventory` reads (reads/inventoryRead.ts),
 * and `pods` counts the pods it kept. Run by `bench/guard.ts`.
 */
import { scanCluster } from "../reads/cluster";
import { loadKubeConfig } from "../reads/kubeconfig";
import { InventoryScan } from "../plan/inventory/collect";
import { ReferenceScan, bothSinks } from "../reads/scan";

async function main(): Promise<void> {
  const names = new Set(JSON.parse(process.argv[2]) as string[]);
  const loaded = loadKubeConfig({});
  if ("unavailable" in loaded) throw new Error(loaded.unavailable);
  // maxRSS is in kilobytes (getrusage): the peak so far, here the loaded modules' footprint.
  const loadedMB = process.resourceUsage().maxRSS / 1024;
  const start = process.hrtime.bigint();
  const scan = new ReferenceScan(names, {
    namespace: "production",
    names: new Set(["auth-service"]),
  });
  const inventory = process.argv[3] === "inventory" ? new InventoryScan(names) : undefined;
  if (inventory) await scanCluster(loaded.config, bothSinks(scan, inventory));
  else await scanCluster(loaded.config, scan);
  const pods = inventory?.facts().pods.length;
  const referrers = [...scan.referrers().values()].reduce((n, list) => n + list.length, 0);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ ms, loadedMB, maxRssMB, referrers, pods }));
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
