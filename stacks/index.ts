import type { App } from "sst/constructs";
import { ApplicationStack } from "./ApplicationStack.ts";
import { useTrailcast } from "./context.ts";
import { IamStack } from "./IamStack.ts";
import { InfrastructureStack } from "./InfrastructureStack.ts";

/**
 * The whole Trailcast deployment, in the seed's order: IAM, infrastructure, application. The stage config is
 * validated first, so a bad config fails before any construct exists.
 */
export function addTrailcastStacks(app: App): void {
  const { config } = useTrailcast(app);
  // Throw-away stages clean up completely on `sst remove`; protected stages keep their logs (and the ALB
  // refuses deletion) unless someone changes the config first.
  if (!config.protect) app.setDefaultRemovalPolicy("destroy");
  app.stack(IamStack).stack(InfrastructureStack).stack(ApplicationStack);
}

export { ApplicationStack, IamStack, InfrastructureStack };
