import { type StackContext, use } from "sst/constructs";
import { useProject } from "sst/project.js";
import { createLoadBalancer, HTTP_ONLY_WARNING } from "./application/load-balancer.ts";
import { createMcpFunction } from "./application/mcp-function.ts";
import { createWebService } from "./application/web-service.ts";
import { useTrailcast } from "./context.ts";
import { IamStack } from "./IamStack.ts";
import { InfrastructureStack } from "./InfrastructureStack.ts";

/**
 * Application stack: the MCP Lambda (IAM-authenticated streaming Function URL) and the web app (ECS Fargate
 * behind an ALB). Roles and security groups come from the other two stacks, imported read-only.
 */
export function ApplicationStack({ app, stack }: StackContext) {
  const t = useTrailcast(app);
  const iam = use(IamStack);
  const network = use(InfrastructureStack);

  const mcp = createMcpFunction(stack, t, iam.mcpRoleArn);
  const mcpUrl = mcp.url;
  if (!mcpUrl) throw new Error("McpFunction has no Function URL");

  const service = createWebService(stack, t, {
    vpc: network.vpc,
    tasksInPublicSubnets: network.tasksInPublicSubnets,
    webSecurityGroupId: network.webSecurityGroupId,
    executionRoleArn: iam.webExecutionRoleArn,
    taskRoleArn: iam.webTaskRoleArn,
    mcpUrl,
    imageDirectory: useProject().paths.root,
  });
  const lb = createLoadBalancer(stack, t, {
    vpc: network.vpc,
    albSecurityGroupId: network.albSecurityGroupId,
    service,
  });

  stack.addOutputs({
    WebUrl: lb.url,
    LoadBalancerDnsName: lb.alb.loadBalancerDnsName,
    McpFunctionUrl: mcpUrl,
    McpFunctionName: mcp.functionName,
    WebLogGroup: t.names.webLogGroup,
    ...(t.config.web.certificateArn ? {} : { SecurityWarning: HTTP_ONLY_WARNING }),
  });

  return { mcpUrl, webUrl: lb.url };
}
