import { UserPool, UserPoolClient, UserPoolDomain } from "aws-cdk-lib/aws-cognito";
import { type IVpc, SecurityGroup, SubnetType } from "aws-cdk-lib/aws-ec2";
import type { FargateService } from "aws-cdk-lib/aws-ecs";
import {
  ApplicationLoadBalancer,
  ApplicationProtocol,
  ApplicationTargetGroup,
  ListenerAction,
  ListenerCertificate,
  SslPolicy,
  TargetType,
} from "aws-cdk-lib/aws-elasticloadbalancingv2";
import { AuthenticateCognitoAction } from "aws-cdk-lib/aws-elasticloadbalancingv2-actions";
import { Duration, SecretValue, type Stack } from "aws-cdk-lib/core";
import { type Trailcast, warnLoudly } from "../context.ts";
import { CONTAINER_NAME } from "./web-service.ts";

export interface LoadBalancerInputs {
  vpc: IVpc;
  albSecurityGroupId: string;
  service: FargateService;
}

export const HTTP_ONLY_WARNING =
  "No web.certificateArn: the load balancer serves plain HTTP, so traffic (chat prompts, CloudTrail data) " +
  "crosses the network unencrypted. Set web.certificateArn for HTTPS with an HTTP->HTTPS redirect.";

/**
 * Internet-facing ALB in front of the web service. Listeners never open the security group themselves
 * (`open: false`, immutable group): who may connect is decided only by the infrastructure stack's rules.
 */
export function createLoadBalancer(stack: Stack, t: Trailcast, inputs: LoadBalancerInputs) {
  const { web, protect } = t.config;
  const alb = new ApplicationLoadBalancer(stack, "Alb", {
    vpc: inputs.vpc,
    internetFacing: true,
    vpcSubnets: { subnetType: SubnetType.PUBLIC },
    securityGroup: SecurityGroup.fromSecurityGroupId(stack, "AlbSecurityGroup", inputs.albSecurityGroupId, {
      mutable: false,
      allowAllOutbound: false,
    }),
    // Chat answers stream over SSE; tool calls (e.g. a CloudTrail Lake query) can pause the stream for a while.
    idleTimeout: Duration.seconds(300),
    dropInvalidHeaderFields: true,
    deletionProtection: protect,
  });

  const targetGroup = new ApplicationTargetGroup(stack, "WebTargetGroup", {
    vpc: inputs.vpc,
    port: t.appPort,
    protocol: ApplicationProtocol.HTTP,
    targetType: TargetType.IP,
    deregistrationDelay: Duration.seconds(30),
    healthCheck: {
      path: "/healthz",
      port: t.healthCheckPort === t.appPort ? "traffic-port" : String(t.healthCheckPort),
      healthyHttpCodes: "200",
      interval: Duration.seconds(30),
      timeout: Duration.seconds(5),
      healthyThresholdCount: 2,
      unhealthyThresholdCount: 3,
    },
    targets: [inputs.service.loadBalancerTarget({ containerName: CONTAINER_NAME, containerPort: t.appPort })],
  });

  const forward = ListenerAction.forward([targetGroup]);
  if (web.certificateArn) {
    alb.addListener("Https", {
      port: 443,
      protocol: ApplicationProtocol.HTTPS,
      certificates: [ListenerCertificate.fromArn(web.certificateArn)],
      sslPolicy: SslPolicy.RECOMMENDED_TLS,
      open: false,
      defaultAction: authenticated(stack, t, forward),
    });
    alb.addListener("Http", {
      port: 80,
      protocol: ApplicationProtocol.HTTP,
      open: false,
      defaultAction: ListenerAction.redirect({ protocol: "HTTPS", port: "443", permanent: true }),
    });
  } else {
    alb.addListener("Http", {
      port: 80,
      protocol: ApplicationProtocol.HTTP,
      open: false,
      defaultAction: forward,
    });
    warnLoudly(stack, "httpOnly", HTTP_ONLY_WARNING);
  }
  return { alb, targetGroup, url: `${web.certificateArn ? "https" : "http"}://${alb.loadBalancerDnsName}` };
}

function authenticated(stack: Stack, t: Trailcast, next: ListenerAction): ListenerAction {
  const auth = t.config.web.auth;
  switch (auth.type) {
    case "none":
      return next;
    case "oidc":
      return ListenerAction.authenticateOidc({
        issuer: auth.issuer,
        authorizationEndpoint: auth.authorizationEndpoint,
        tokenEndpoint: auth.tokenEndpoint,
        userInfoEndpoint: auth.userInfoEndpoint,
        clientId: auth.clientId,
        // A {{resolve:secretsmanager:…}} dynamic reference: the secret never appears in the template.
        clientSecret: SecretValue.secretsManager(auth.clientSecretArn, {
          ...(auth.clientSecretJsonField ? { jsonField: auth.clientSecretJsonField } : {}),
        }),
        scope: auth.scope,
        next,
      });
    case "cognito":
      return new AuthenticateCognitoAction({
        userPool: UserPool.fromUserPoolArn(stack, "UserPool", auth.userPoolArn),
        userPoolClient: UserPoolClient.fromUserPoolClientId(stack, "UserPoolClient", auth.userPoolClientId),
        userPoolDomain: UserPoolDomain.fromDomainName(stack, "UserPoolDomain", auth.userPoolDomain),
        next,
      });
  }
}
