/** The one error a bad stack config raises, before any resource is declared. */

/** The Pulumi project name: the namespace of every config key (`secret-rotation:secrets`). */
export const CONFIG_NAMESPACE = "secret-rotation";

export interface ConfigProblem {
  /** The field path as `pulumi config set --path` takes it, without the namespace. */
  path: string;
  /** What is wrong and what is allowed. Never a secret value. */
  message: string;
  /** The whole config key, for a key outside the project namespace (`secret_rotation:secrets`). */
  key?: string;
}

/** "1 problem" or "N problems". */
function problemCount(problems: readonly ConfigProblem[]): string {
  return problems.length === 1 ? "1 problem" : `${problems.length} problems`;
}

/** A headline, then one line per problem naming its `secret-rotation:<path>`. */
function problemReport(headline: string, problems: readonly ConfigProblem[]): string {
  const lines = problems.map(
    (p) => `  - ${p.key ?? `${CONFIG_NAMESPACE}:${p.path}`}: ${p.message}`,
  );
  return [headline, ...lines].join("\n");
}

/** Every problem of a stack's config at once, so one `pulumi up` shows them all. */
export class ConfigError extends Error {
  constructor(
    readonly stackName: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      problemReport(
        `stack "${stackName}": the config of ${CONFIG_NAMESPACE} has ${problemCount(problems)}; nothing was changed:`,
        problems,
      ),
    );
    this.name = "ConfigError";
  }
}

/** Writes a config path for `pulumi config set --path`: segments with a '-' or '.' get quotes. */
export function configPathArgument(segments: readonly string[]): string {
  const rest = segments
    .map((s) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s) ? `.${s}` : `["${s}"]`))
    .join("");
  return `${CONFIG_NAMESPACE}:${rest.replace(/^\./, "")}`;
}

/**
 * The staging gate refused a version: raised before any resource but the StackReference that
 * read staging, so `pulumi up` changes nothing.
 */
export class PromotionError extends Error {
  constructor(
    readonly stackName: string,
    readonly fromStack: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      problemReport(
        `stack "${stackName}": the staging gate (promotion.fromStack ${fromStack}) stops this update with ${problemCount(problems)}; nothing was changed:`,
        problems,
      ),
    );
    this.name = "PromotionError";
  }
}
