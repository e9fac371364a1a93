/**
 * A problem with the stack's config, and the report that lists several. The config parser,
 * the memory checks and the staging gate all stop an update this way: one error naming the
 * stack and every offending field, raised before a resource is declared.
 */
import { configKey } from "./project";

export interface ConfigProblem {
  /** The field path as `pulumi config set --path` takes it, without the namespace. */
  path: string;
  /** What is wrong and what is allowed. Never a secret value. */
  message: string;
  /** The whole config key, for a key outside the project namespace (`secret_rotation:secrets`). */
  key?: string;
}

/** "1 problem" or "N problems". */
export function problemCount(problems: readonly ConfigProblem[]): string {
  return problems.length === 1 ? "1 problem" : `${problems.length} problems`;
}

/** A headline, then one line per problem naming its `secret-rotation:<path>`. */
export function problemReport(headline: string, problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) => `  - ${p.key ?? configKey(p.path)}: ${p.message}`);
  return [headline, ...lines].join("\n");
}

/** Collects problems with their field paths: a parse reports every problem of a stack at once. */
export class Problems {
  readonly list: ConfigProblem[] = [];
  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
}

/**
 * A map key as `pulumi config set --path` reads it: bare, or `["..."]` when it is empty or holds
 * a `.` or `[` (pulumi v3.248.0 sdk/go/common/resource/properties_path.go parsePropertyPath: a
 * bare name ends at the next `.` or `[`; a quoted name unescapes `\"` and nothing else).
 */
export const quotedKey = (key: string): string | undefined =>
  key === "" || /[.[]/.test(key) ? `["${key.replace(/"/g, '\\"')}"]` : undefined;

/**
 * `parent.child`, the path form `pulumi config set --path` takes (without the namespace);
 * `parent["a.b"]` for a key that a bare name cannot carry (a secret named `auth.api`).
 */
export const join = (path: string, key: string): string => {
  const quoted = quotedKey(key);
  if (quoted) return `${path}${quoted}`;
  return path ? `${path}.${key}` : key;
};
/** Items for a message: `a, b, c`. */
export const list = (items: readonly string[]): string => items.join(", ");

/**
 * The keys of a path `join` wrote (`secrets["auth.api"].versions[0]` → secrets, auth.api,
 * versions, 0): bare names up to the next `.` or `[`, `["..."]` with `\"` for a quote, `[n]`.
 */
export function pathKeys(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  const re = /\.?([^.[]+)|\["((?:\\"|[^"])*)"\]|\[(\d+)\]/y;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    if (m[1] !== undefined) keys.push(m[1]);
    else if (m[2] !== undefined) keys.push(m[2].replace(/\\"/g, '"'));
    else keys.push(Number(m[3]));
  }
  return keys;
}
