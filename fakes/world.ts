/**
 * The outside world every test's program run sees: a fake cluster (empty unless a test loads
 * it) that `KUBECONFIG` points at, and a fake Secrets Manager. Set up once for the process by
 * the root hooks (`tests/rootHooks.ts`) and emptied after each test, so a run that does not
 * care finds nothing referenced and nothing pending deletion.
 */
import { FakeAws } from "./awsSecrets";
import { FakeKubeApi } from "./kubeApi";

export const fakeCluster = new FakeKubeApi();
export const fakeAws = new FakeAws();
