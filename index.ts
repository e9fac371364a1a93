/**
 * secret-rotation: every rotation is a new immutable, timestamped version in AWS Secrets
 * Manager and Kubernetes; workloads reference exactly one version (a canary Deployment may
 * test one more); old versions are pruned after the retention age and never come back.
 *
 * Read the config and validate it whole; gather, in one preflight, what the program reads
 * from outside (the staging stack's outputs, this stack's own previous outputs, what the
 * live cluster and AWS still use before anything is pruned); then plan
 * purely, declare, export. The program is an async function (Pulumi awaits it and exports
 * what it returns) because the preflight reads before the first resource is declared.
 */
import { runStack } from "./program/runStack";
import { pulumiReaders } from "./program/preflight";

export = () => runStack(pulumiReaders);
