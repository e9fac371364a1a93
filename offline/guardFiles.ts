/**
 * The reference guard's answers from files, for the offline plan: `--cluster FILE` holds
 * `kubectl get deployments,replicasets,statefulsets,daemonsets,jobs,cronjobs,pods -A -o json
 * --show-managed-fields` (kubectl leaves managedFields out without the flag; the linked
 * workloads' check reads them to tell this program's env entries from others') and `--aws FILE` holds `aws secretsmanager list-secrets --include-planned-deletion --output json`.
 * The same scan and index as the live reads; without a file, that source is `unchecked`.
 */
import * as fs from "fs";
import { awsIndex, type ListedSecret } from "../reads/aws";
import type { LiveReader } from "../reads/live";
import { targetText } from "../plan/workloads/linkTarget";
import { GUARD_KINDS, type GuardKind, type LooseObject } from "../plan/guard/references";
import { ReferenceScan } from "../reads/scan";
import { InventoryScan } from "../plan/inventory/collect";

/** The kubectl command whose output `--cluster` reads. */
export const CLUSTER_COMMAND =
  "kubectl get deployments,replicasets,statefulsets,daemonsets,jobs,cronjobs,pods -A -o json --show-managed-fields";
/** The AWS CLI command whose output `--aws` reads. */
export const AWS_COMMAND =
  "aws secretsmanager list-secrets --include-planned-deletion --output json";

function readJson(option: string, file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${option} ${file}: ${(err as Error).message}`);
  }
}

const isGuardKind = (kind: unknown): kind is GuardKind =>
  typeof kind === "string" && (GUARD_KINDS as readonly string[]).includes(kind);

/** The objects of a kubectl list, checked once: a bad file is a usage error. */
export function readClusterFile(file: string): { kind: GuardKind; object: LooseObject }[] {
  const parsed = readJson("--cluster", file) as { items?: unknown };
  if (typeof parsed !== "object" || parsed === null || !Array.isArray(parsed.items)) {
    throw new Error(
      `--cluster ${file}: not a Kubernetes list (no "items"); write it with: ${CLUSTER_COMMAND} > ${file}`,
    );
  }
  return parsed.items.flatMap((item: unknown) => {
    const kind = (item as { kind?: unknown } | null)?.kind;
    return isGuardKind(kind) ? [{ kind, object: item as LooseObject }] : [];
  });
}

/** The entries of a list-secrets output, checked once. */
export function readAwsFile(file: string): ListedSecret[] {
  const parsed = readJson("--aws", file) as { SecretList?: unknown };
  if (typeof parsed !== "object" || parsed === null || !Array.isArray(parsed.SecretList)) {
    throw new Error(`--aws ${file}: no "SecretList"; write it with: ${AWS_COMMAND} > ${file}`);
  }
  return parsed.SecretList as ListedSecret[];
}

/** Answers from the files given; a source without its file is `unchecked`. */
export function fileLiveReader(files: { cluster?: string; aws?: string }): LiveReader {
  const objects = files.cluster ? readClusterFile(files.cluster) : undefined;
  const secrets = files.aws ? readAwsFile(files.aws) : undefined;
  return {
    cluster: (question) => {
      if (!objects) {
        return Promise.resolve({ status: "unchecked", reason: "offline: no --cluster FILE" });
      }
      const scan = new ReferenceScan(question.names, question.own);
      const inventory = question.inventory && new InventoryScan(question.inventory);
      const scope = question.namespaces && new Set(question.namespaces);
      for (const { kind, object } of objects) {
        if (scope && !scope.has(object.metadata?.namespace ?? "")) continue;
        scan.add(kind, object);
        inventory?.add(kind, object);
      }
      return Promise.resolve({
        status: "read",
        value: scan.referrers(),
        ...(inventory && { inventory: inventory.facts() }),
      });
    },
    linked: (question) => {
      if (!objects) {
        return Promise.resolve({ status: "unchecked", reason: "offline: no --cluster FILE" });
      }
      // The file lists every object of these kinds in every namespace: one not in it is missing.
      const found = new Map(
        objects.map(({ kind, object }) => [
          `${kind} ${object.metadata?.namespace ?? ""}/${object.metadata?.name ?? ""}`,
          object,
        ]),
      );
      return Promise.resolve({
        status: "read",
        value: new Map(
          question.targets.map((t) => [targetText(t), found.get(targetText(t)) ?? null]),
        ),
      });
    },
    aws: (question) =>
      Promise.resolve(
        secrets
          ? {
              status: "read",
              value: awsIndex(
                secrets.filter((s) => s.Name?.startsWith(question.prefix)),
                question.names,
              ),
            }
          : { status: "unchecked", reason: "offline: no --aws FILE" },
      ),
  };
}
