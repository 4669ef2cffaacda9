import {
  CfnSecurityGroupEgress,
  type IVpc,
  Peer,
  Port,
  SecurityGroup,
  SubnetType,
  Vpc,
} from "aws-cdk-lib/aws-ec2";
import { dependsOn, type StackContext } from "sst/constructs";
import { useTrailcast } from "./context.ts";
import { IamStack } from "./IamStack.ts";

/**
 * Infrastructure stack: the network and both security groups, with every rule explicit here. The application
 * stack imports the groups as immutable, so nothing it creates (listeners, target groups) can add a rule.
 *
 * VPC choice (`network.vpc.mode`):
 * - "create" (default): a fresh 2-AZ VPC. With natGateways >= 1 tasks run in private subnets behind a NAT
 *   (~$32/month per NAT gateway plus data); with 0 they run in public subnets with a public IP, reachable only
 *   through the security group below.
 * - "default": the account's default VPC by lookup (needs credentials at synth; the result is cached in
 *   cdk.context.json). It only has public subnets, so tasks get public IPs; no NAT cost.
 */
export function InfrastructureStack({ app, stack }: StackContext) {
  dependsOn(IamStack); // Deploy order from the seed plan: IAM, infrastructure, application.
  const t = useTrailcast(app);
  const { network, web } = t.config;
  const vpcConfig = network.vpc;

  const vpc: IVpc =
    vpcConfig.mode === "default"
      ? Vpc.fromLookup(stack, "Vpc", { isDefault: true })
      : new Vpc(stack, "Vpc", {
          maxAzs: vpcConfig.maxAzs,
          natGateways: vpcConfig.natGateways,
          subnetConfiguration: [
            { name: "public", subnetType: SubnetType.PUBLIC, cidrMask: 24 },
            ...(vpcConfig.natGateways > 0
              ? [{ name: "private", subnetType: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 }]
              : []),
          ],
        });
  const tasksInPublicSubnets = vpcConfig.mode === "default" || vpcConfig.natGateways === 0;

  const albSecurityGroup = new SecurityGroup(stack, "AlbSecurityGroup", {
    vpc,
    description: `Trailcast ${t.stage} ALB: ingress from allowed CIDRs only`,
    allowAllOutbound: false,
  });
  const webSecurityGroup = new SecurityGroup(stack, "WebSecurityGroup", {
    vpc,
    description: `Trailcast ${t.stage} web tasks: ingress from the ALB only`,
    allowAllOutbound: false,
  });

  const https = web.certificateArn !== undefined;
  for (const cidr of network.allowedCidrs) {
    // Port 80 stays open to the same CIDRs in HTTPS mode: it only answers with a redirect to 443.
    albSecurityGroup.addIngressRule(
      Peer.ipv4(cidr),
      Port.tcp(80),
      https ? "HTTP (redirect to HTTPS)" : "HTTP",
    );
    if (https) albSecurityGroup.addIngressRule(Peer.ipv4(cidr), Port.tcp(443), "HTTPS");
  }

  const taskPorts = [...new Set([t.appPort, t.healthCheckPort])];
  for (const port of taskPorts) {
    const what = port === t.appPort ? "app and health check" : "health check";
    webSecurityGroup.addIngressRule(albSecurityGroup, Port.tcp(port), `From ALB: ${what}`);
    // Not albSecurityGroup.addEgressRule(): CDK then drops its inline "no traffic" placeholder even though a
    // group-to-group rule is rendered as a separate resource, and a group without inline egress rules keeps
    // EC2's default allow-all egress. A standalone rule keeps the placeholder: the ALB can reach the tasks only.
    new CfnSecurityGroupEgress(stack, `AlbToWebTasksPort${port}`, {
      groupId: albSecurityGroup.securityGroupId,
      destinationSecurityGroupId: webSecurityGroup.securityGroupId,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      description: `To web tasks: ${what}`,
    });
  }
  if (web.auth.type !== "none") {
    // The ALB itself calls the identity provider's token and user-info endpoints during sign-in.
    albSecurityGroup.addEgressRule(
      Peer.anyIpv4(),
      Port.tcp(443),
      "To the identity provider (ALB authentication)",
    );
  }
  // Tasks only speak HTTPS outbound: ECR, CloudWatch Logs, Bedrock, the MCP Function URL. DNS to the VPC
  // resolver is not subject to security groups.
  webSecurityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), "HTTPS to AWS APIs");

  stack.addOutputs({ VpcId: vpc.vpcId });

  return {
    vpc,
    tasksInPublicSubnets,
    albSecurityGroupId: albSecurityGroup.securityGroupId,
    webSecurityGroupId: webSecurityGroup.securityGroupId,
  };
}
