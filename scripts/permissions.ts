/**
 * `npm run permissions -- <stack> [--dir FOLDER] [--account ID] [--subject KIND:NAME]...
 * [--name PREFIX] [--json]`: the deployer's IAM policy, the live preview's read-only policy,
 * the guard's Kubernetes RBAC and, with External Secrets, the operator's read-only policy, computed from `Pulumi.<stack>.yaml` (read as the offline plan
 * reads it) without credentials. Exits 1 on a config the program would refuse, 2 on bad usage.
 */
import * as path from "path";
import { Command } from "commander";
import { stringify } from "yaml";
import { StackFileError, readStackFile } from "../offline";
import {
  type RbacSubject,
  type StackPermissions,
  parseNamePrefix,
  parseSubject,
  permissionSpec,
  permissionsOf,
} from "../plan/permissions";
import { type CliIO, STDIO, parseCli } from "./cli";
import { exitWhenFlushed } from "./plan";

export type PermissionsIO = CliIO;

/** The text output: each document under a heading saying where it goes. */
export function renderPermissions(
  stack: string,
  p: StackPermissions & { notes: string[] },
): string {
  const json = (v: unknown) => JSON.stringify(v, null, 2);
  const lines = [
    `Permissions for stack ${stack}`,
    "",
    "Deployer IAM policy: attach to the identity that runs `pulumi preview` and `pulumi up`",
    json(p.deployerPolicy),
    "",
  ];
  if (p.previewPolicy.Statement.length > 0) {
    lines.push(
      "Preview IAM policy: attach to the live preview's read-only role (AWS_READONLY_ROLE_ARN): the guard's reads, never a secret's value",
      json(p.previewPolicy),
      "",
    );
  } else {
    lines.push(
      "Preview IAM policy: none (a preview calls nothing in AWS that needs a grant: the guard does not read AWS)",
      "",
    );
  }
  if (p.guardRbac.length > 0) {
    lines.push(
      "Guard RBAC: `kubectl apply -f -` (replace the subject with the deployer's identity in the cluster)",
      p.guardRbac.map((o) => stringify(o).trimEnd()).join("\n---\n"),
      "",
    );
  } else {
    lines.push("Guard RBAC: none (the program reads nothing in the cluster)", "");
  }
  if (p.externalSecretsPolicy) {
    lines.push(
      "External Secrets operator policy: attach to the role ESO reads with",
      json(p.externalSecretsPolicy),
      "",
    );
  }
  if (p.notes.length > 0) lines.push("Notes:", ...p.notes.map((n) => `- ${n}`));
  return lines.join("\n").trimEnd();
}

/** Runs the CLI with `argv` (node, script, ...args); returns the exit code. */
export function main(argv: string[], io: PermissionsIO = STDIO): number {
  const cli = new Command()
    .name("npm run permissions --")
    .description("Print the IAM policies and Kubernetes RBAC a stack needs, from its config.")
    .argument("<stack>", "stack name: reads Pulumi.<stack>.yaml")
    .option("--dir <folder>", "the folder of Pulumi.<stack>.yaml (default: the project)")
    .option("--account <id>", "the AWS account id (default: aws:allowedAccountIds if one, else *)")
    .option(
      "--subject <kind:name>",
      "who runs the program in the cluster: User:<name>, Group:<name> or ServiceAccount:<ns>/<name> (repeatable; default Group:secret-rotation-deployers)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      "--name <prefix>",
      "the RBAC objects' name prefix, <prefix>-<stack> (default secret-rotation-guard); one per program in a cluster",
    )
    .option(
      "--json",
      "print { deployerPolicy, previewPolicy, guardRbac, externalSecretsPolicy? } as JSON",
    );
  const stop = parseCli(cli, argv, io);
  if (stop !== undefined) return stop;
  const [stack] = cli.args;
  const opts = cli.opts<{
    dir?: string;
    account?: string;
    subject?: string[];
    name?: string;
    json?: boolean;
  }>();
  let config: Record<string, string>;
  let subjects: RbacSubject[];
  let name: string | undefined;
  try {
    subjects = (opts.subject ?? []).map(parseSubject);
    name = opts.name === undefined ? undefined : parseNamePrefix(opts.name, stack);
    const file = opts.dir ? readStackFile(stack, path.resolve(opts.dir)) : readStackFile(stack);
    config = file.config;
  } catch (err) {
    io.err((err as Error).message);
    return err instanceof StackFileError ? 1 : 2;
  }
  let result: StackPermissions & { notes: string[] };
  try {
    const spec = permissionSpec(stack, config, new Date());
    result = permissionsOf(spec, config, {
      subjects,
      ...(name !== undefined && { name }),
      ...(opts.account !== undefined && { account: opts.account }),
    });
  } catch (err) {
    const message = (err as Error).message;
    io.err(message);
    return message.startsWith("--account") ? 2 : 1;
  }
  if (opts.json) {
    const { notes: _notes, ...data } = result;
    void _notes;
    io.out(JSON.stringify(data, null, 2));
  } else {
    io.out(renderPermissions(stack, result));
  }
  return 0;
}

if (require.main === module) {
  exitWhenFlushed(main(process.argv));
}
