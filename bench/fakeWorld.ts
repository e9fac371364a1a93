/**
 * The outside world a benchmark runs the program against: an empty loopback cluster and a
 * mocked Secrets Manager, as in the tests, so it measures the program, not a network timeout.
 */
import { FakeAws } from "../fakes/awsSecrets";
import { FakeKubeApi } from "../fakes/kubeApi";

/** Runs `body` with the program's live reads pointed at the fakes, and tears them down. */
export async function inFakeWorld<T>(body: () => Promise<T>): Promise<T> {
  const cluster = new FakeKubeApi();
  await cluster.start();
  process.env.KUBECONFIG = cluster.kubeconfig;
  process.env.AWS_REGION ??= "us-east-1";
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const aws = new FakeAws();
  aws.install();
  try {
    return await body();
  } finally {
    aws.restore();
    await cluster.stop();
  }
}
