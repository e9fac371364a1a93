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

/** `parent.child`, the path form `pulumi config set --path` takes (without the namespace). */
export const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);
/** Items for a message: `a, b, c`. */
export const list = (items: readonly string[]): string => items.join(", ");
