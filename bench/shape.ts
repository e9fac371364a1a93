/** The benchmark's workload: N secrets of four live versions, each used by one Deployment. */

/** Benchmark clock: every version below is live at this time (newest active, 3 kept). */
export const BENCH_NOW = "20250801000000";

/** Four versions a day apart, the newest one day before `BENCH_NOW`. */
export function benchVersions(): string[] {
  return ["20250727000000", "20250728000000", "20250729000000", "20250731000000"];
}

/** The program's config for `count` secrets, each with one Deployment linked to it. */
export function benchConfig(count: number): Record<string, unknown> {
  const versions = benchVersions();
  const secrets: Record<string, unknown> = {};
  const workloads: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    secrets[`secret-${i}`] = {
      active: versions[versions.length - 1],
      versions: Object.fromEntries(versions.map((v) => [v, { value: v }])),
    };
    workloads[`app-${i}`] = {
      kind: "Deployment",
      image: "app:1",
      replicas: 1,
      secrets: [`secret-${i}`],
    };
  }
  return { retentionDays: 14, secrets, workloads };
}
