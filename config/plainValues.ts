/**
 * Secret values written in plain text in a stack's config (`api_token: hunter2` rather than
 * `api_token: { secure: v1:... }`): anyone who can read `Pulumi.<stack>.yaml`, or its history,
 * has them. The update still runs (the program wraps every value in `pulumi.secret`, so no
 * output or state shows it); the stack is warned, naming each config path and the command
 * that encrypts it, never the value.
 *
 * What each side can know:
 * - `pulumi up` and `pulumi preview`: the CLI hands the program every config value decrypted,
 *   as text or JSON (sdk/nodejs/cmd/pulumi-language-nodejs/main.go, PULUMI_CONFIG), and the
 *   list of keys that hold a secure value anywhere inside (RunRequest.configSecretKeys, from
 *   pkg/resource/deploy/source_eval.go evalSource.Iterate `Target.Config.SecureKeys()`;
 *   sdk/go/common/resource/config/object.go `object.Secure` is true for a map when ANY value
 *   inside is secure; read back by sdk/nodejs/runtime/config.ts isConfigSecret; pulumi
 *   v3.248.0). So the program knows a value is plain only when the whole `secrets` key is not
 *   secret: then every configured value is plain.
 * - The offline plan reads the file itself and sees each value (offline/stackFiles.ts), so it
 *   also warns about a plain value among encrypted ones.
 */
import type { SecretSpec } from "./contract/secret";
import { configPathArgument } from "../core/project";

/** Where one configured value lives: `secrets.<secret>.versions.<version>.<key>`. */
export interface ValuePath {
  secret: string;
  version: string;
  key: string;
}

/** Every configured (not generated) value of the secrets, in config order. */
export function configuredValues(secrets: readonly SecretSpec<unknown>[]): ValuePath[] {
  return secrets.flatMap((secret) =>
    secret.versions.flatMap((v) =>
      Object.keys(v.values).map((key) => ({ secret: secret.name, version: v.id, key })),
    ),
  );
}

/**
 * The warning for one plain value: its config path and the command that encrypts it. The
 * command is given without a value: `pulumi config set` then prompts for it
 * (pkg/cmd/pulumi/config/config.go newConfigSetCmd, v3.248.0: "If a value is not present on
 * the command line, pulumi will prompt for the value"), so it stays out of shell history.
 * The same value encrypted keeps the version's digest, so the version does not change.
 */
export function plainValueWarning(stack: string, value: ValuePath): string {
  const path = configPathArgument(["secrets", value.secret, "versions", value.version, value.key]);
  return (
    `${path} is not encrypted: its value is in the stack's config in plain text (not secure:), ` +
    `readable by anyone who can read Pulumi.${stack}.yaml or its history. ` +
    `Encrypt it with: pulumi config set --stack ${stack} --secret --path '${path}' ` +
    `(it prompts for the value; the same value leaves the version unchanged), ` +
    `and if the file was ever committed, rotate: add a new version with a new value`
  );
}

/** One warning per plain value, in the order given. */
export function plainValueWarnings(stack: string, values: readonly ValuePath[]): string[] {
  return values.map((v) => plainValueWarning(stack, v));
}
