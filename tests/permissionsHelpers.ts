/** The permissions CLI run in process, for tests/permissions*.test.ts. */
import { strict as assert } from "assert";
import type { StackPermissions } from "../plan/permissions";
import { main as permissions } from "../scripts/permissions";

/** Runs `npm run permissions --` in process with `args`, capturing what it prints. */
export function runPermissions(...args: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = permissions(["node", "permissions", ...args], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** `npm run permissions -- ... --json`, parsed; it must succeed. */
export function permissionsJson(...args: string[]): StackPermissions {
  const r = runPermissions(...args, "--json");
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as StackPermissions;
}
