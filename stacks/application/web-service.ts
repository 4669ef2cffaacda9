import { type IVpc, SecurityGroup, SubnetType } from "aws-cdk-lib/aws-ec2";
import { Platform } from "aws-cdk-lib/aws-ecr-assets";
import {
  Cluster,
  ContainerImage,
  CpuArchitecture,
  FargateService,
  FargateTaskDefinition,
  LinuxParameters,
  LogDrivers,
  OperatingSystemFamily,
} from "aws-cdk-lib/aws-ecs";
import { Role } from "aws-cdk-lib/aws-iam";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Duration, RemovalPolicy, type Stack } from "aws-cdk-lib/core";
import type { Trailcast } from "../context.ts";

export interface WebServiceInputs {
  vpc: IVpc;
  tasksInPublicSubnets: boolean;
  webSecurityGroupId: string;
  executionRoleArn: string;
  taskRoleArn: string;
  mcpUrl: string;
  /** Directory holding the Dockerfile (the repo root); hashed at synth, built by Docker only at deploy. */
  imageDirectory: string;
}

export const CONTAINER_NAME = "web";
export const CONTAINER_USER = "1000:1000"; // the `node` user of node:22-slim; matches `USER node` in the Dockerfile

export function healthCheckCommand(port: number): string[] {
  // node:22-slim has no curl; Node's fetch is enough and needs nothing extra in the image.
  const script = `fetch('http://127.0.0.1:${port}/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`;
  return ["CMD", "node", "-e", script];
}

export function webEnvironment(t: Trailcast, mcpUrl: string): Record<string, string> {
  return {
    NODE_ENV: "production",
    PORT: String(t.appPort),
    MCP_URL: mcpUrl,
    BEDROCK_MODEL_ID: t.config.bedrock.modelId,
    BEDROCK_REGION: t.config.bedrock.region ?? t.region,
    AWS_REGION: t.region,
    TRAILCAST_STAGE: t.stage,
  };
}

/** ECS Fargate service running the Remix app image built from the repo's Dockerfile. */
export function createWebService(stack: Stack, t: Trailcast, inputs: WebServiceInputs): FargateService {
  const { web, logs, protect } = t.config;
  const logGroup = new LogGroup(stack, "WebLogGroup", {
    logGroupName: t.names.webLogGroup,
    retention: logs.retentionDays as RetentionDays,
    removalPolicy: protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  const cluster = new Cluster(stack, "Cluster", { vpc: inputs.vpc, clusterName: t.names.cluster });

  const taskDefinition = new FargateTaskDefinition(stack, "WebTask", {
    family: t.names.webTaskFamily,
    cpu: web.cpu,
    memoryLimitMiB: web.memoryMiB,
    runtimePlatform: {
      cpuArchitecture: CpuArchitecture.X86_64,
      operatingSystemFamily: OperatingSystemFamily.LINUX,
    },
    executionRole: Role.fromRoleArn(stack, "WebExecutionRole", inputs.executionRoleArn, { mutable: false }),
    taskRole: Role.fromRoleArn(stack, "WebTaskRole", inputs.taskRoleArn, { mutable: false }),
  });

  const container = taskDefinition.addContainer(CONTAINER_NAME, {
    image: ContainerImage.fromAsset(inputs.imageDirectory, { platform: Platform.LINUX_AMD64 }),
    user: CONTAINER_USER,
    environment: webEnvironment(t, inputs.mcpUrl),
    logging: LogDrivers.awsLogs({ logGroup, streamPrefix: "web" }),
    // tini as PID 1: forwards SIGTERM to Node on deploys and scale-in.
    linuxParameters: new LinuxParameters(stack, "WebLinuxParameters", { initProcessEnabled: true }),
    healthCheck: {
      command: healthCheckCommand(t.healthCheckPort),
      interval: Duration.seconds(30),
      timeout: Duration.seconds(5),
      retries: 3,
      startPeriod: Duration.seconds(30),
    },
  });
  for (const port of new Set([t.appPort, t.healthCheckPort]))
    container.addPortMappings({ containerPort: port });

  return new FargateService(stack, "WebService", {
    cluster,
    taskDefinition,
    desiredCount: web.desiredCount,
    securityGroups: [
      SecurityGroup.fromSecurityGroupId(stack, "WebSecurityGroup", inputs.webSecurityGroupId, {
        mutable: false,
        allowAllOutbound: false,
      }),
    ],
    vpcSubnets: {
      subnetType: inputs.tasksInPublicSubnets ? SubnetType.PUBLIC : SubnetType.PRIVATE_WITH_EGRESS,
    },
    assignPublicIp: inputs.tasksInPublicSubnets,
    circuitBreaker: { rollback: true },
    minHealthyPercent: 100,
    maxHealthyPercent: 200,
    healthCheckGracePeriod: Duration.seconds(60),
  });
}
