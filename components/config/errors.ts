/** The one error a bad stack config raises, before any resource is declared. */

/** The Pulumi project name: the namespace of every config key (`secret-rotation:secrets`). */
export const CONFIG_NAMESPACE = "secret-rotation";

export interface ConfigProblem {
  /** The field path as `pulumi config set --path` takes it, without the namespace. */
  path: string;
  /** What is wrong and what is allowed. Never a secret value. */
  message: string;
}

/** Every problem of a stack's config at once, so one `pulumi up` shows them all. */
export class ConfigError extends Error {
  constructor(
    readonly stackName: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    const lines = problems.map((p) => `  - ${CONFIG_NAMESPACE}:${p.path}: ${p.message}`);
    super(
      [
        `stack "${stackName}": the config of ${CONFIG_NAMESPACE} has ${count}; nothing was changed:`,
        ...lines,
      ].join("\n"),
    );
    this.name = "ConfigError";
  }
}
