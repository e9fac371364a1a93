/**
 * The project's identity, defined once: the Pulumi project name (`name:` in Pulumi.yaml) is the
 * namespace of every config key (`secret-rotation:secrets`), the value of the managed-by label
 * and tag, and the middle of every stack reference (`<org>/secret-rotation/<stack>`). Config
 * paths are written here too, since errors, logs and alarm texts all quote them.
 */

/** The Pulumi project name. */
export const PROJECT = "secret-rotation";

/** The whole config key of a path in the project namespace: `secret-rotation:secrets.x`. */
export function configKey(path: string): string {
  return `${PROJECT}:${path}`;
}

/** Writes a config path for `pulumi config set --path`: segments with a '-' or '.' get quotes. */
export function configPathArgument(segments: readonly string[]): string {
  const rest = segments
    .map((s) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s) ? `.${s}` : `["${s}"]`))
    .join("");
  return configKey(rest.replace(/^\./, ""));
}
