import type { TrailEvent } from "../event/types.ts";

/**
 * APIs worth an analyst's attention, mapped to MITRE ATT&CK (Enterprise, IaaS) tactics and techniques.
 * `severity` is a prior in bits added to an event's anomaly evidence: a domain judgement, not fitted,
 * and it fades as the principal routinely makes the call (see anomaly.ts).
 */
export type Severity = "high" | "medium" | "low";
export const SEVERITY_BITS: Record<Severity, number> = { high: 8, medium: 5, low: 2 };

export interface SensitiveApi {
  tactic: string;
  technique: string;
  severity: Severity;
  /** A raw-record pattern that makes the call more telling (e.g. decryption requested, no MFA). */
  escalateWhen?: RegExp;
}

const LOGS = "T1562.008 Disable or Modify Cloud Logs";
const FIREWALL = "T1562.007 Disable or Modify Cloud Firewall";
const CLOUD_CREDS = "T1098.001 Additional Cloud Credentials";
const CLOUD_ROLES = "T1098.003 Additional Cloud Roles";
const TRANSFER = "T1537 Transfer Data to Cloud Account";
const SECRETS = "T1555.006 Cloud Secrets Management Stores";
const ADMIN_CMD = "T1651 Cloud Administration Command";
const CLOUD_ACCOUNT = "T1136.003 Create Cloud Account";
const VM_CONNECT = "T1021.008 Direct Cloud VM Connections";

const entries: Array<[string, string, string, Severity, RegExp?]> = [
  ["cloudtrail:StopLogging", "Defense Evasion", LOGS, "high"],
  ["cloudtrail:DeleteTrail", "Defense Evasion", LOGS, "high"],
  ["cloudtrail:UpdateTrail", "Defense Evasion", LOGS, "medium"],
  ["cloudtrail:PutEventSelectors", "Defense Evasion", LOGS, "high"],
  ["cloudtrail:DeleteEventDataStore", "Defense Evasion", LOGS, "high"],
  ["ec2:DeleteFlowLogs", "Defense Evasion", LOGS, "high"],
  ["logs:DeleteLogGroup", "Defense Evasion", LOGS, "medium"],
  ["logs:DeleteLogStream", "Defense Evasion", LOGS, "medium"],
  ["route53resolver:DeleteResolverQueryLogConfig", "Defense Evasion", LOGS, "high"],
  ["route53resolver:DisassociateResolverQueryLogConfig", "Defense Evasion", LOGS, "high"],
  ["s3:PutBucketLifecycle", "Defense Evasion", LOGS, "medium"],
  ["guardduty:DeleteDetector", "Defense Evasion", "T1562.001 Disable or Modify Tools", "high"],
  ["guardduty:UpdateDetector", "Defense Evasion", "T1562.001 Disable or Modify Tools", "medium"],
  ["guardduty:CreateIPSet", "Defense Evasion", "T1562.001 Disable or Modify Tools", "medium"],
  ["config:StopConfigurationRecorder", "Defense Evasion", "T1562.001 Disable or Modify Tools", "high"],
  ["config:DeleteConfigurationRecorder", "Defense Evasion", "T1562.001 Disable or Modify Tools", "high"],
  ["config:DeleteDeliveryChannel", "Defense Evasion", "T1562.001 Disable or Modify Tools", "high"],
  ["securityhub:DisableSecurityHub", "Defense Evasion", "T1562.001 Disable or Modify Tools", "high"],
  ["organizations:LeaveOrganization", "Defense Evasion", "T1666 Modify Cloud Resource Hierarchy", "high"],
  ["ec2:AuthorizeSecurityGroupIngress", "Defense Evasion", FIREWALL, "medium"],
  ["s3:DeleteBucketPublicAccessBlock", "Defense Evasion", FIREWALL, "high"],
  ["s3:PutBucketPublicAccessBlock", "Defense Evasion", FIREWALL, "medium"],
  ["iam:CreateAccessKey", "Persistence", CLOUD_CREDS, "high"],
  ["iam:CreateLoginProfile", "Persistence", CLOUD_CREDS, "high"],
  ["iam:UpdateLoginProfile", "Persistence", CLOUD_CREDS, "high"],
  ["iam:UploadSSHPublicKey", "Persistence", CLOUD_CREDS, "medium"],
  ["iam:CreateServiceSpecificCredential", "Persistence", CLOUD_CREDS, "medium"],
  ["iam:CreateUser", "Persistence", CLOUD_ACCOUNT, "medium"],
  ["iam:UpdateAssumeRolePolicy", "Persistence", "T1098 Account Manipulation", "high"],
  ["iam:CreateRole", "Persistence", CLOUD_ACCOUNT, "low"],
  ["iam:CreateSAMLProvider", "Persistence", "T1484.002 Trust Modification", "high"],
  ["iam:UpdateSAMLProvider", "Persistence", "T1484.002 Trust Modification", "high"],
  ["iam:CreateOpenIDConnectProvider", "Persistence", "T1484.002 Trust Modification", "high"],
  ["rolesanywhere:CreateTrustAnchor", "Persistence", "T1484.002 Trust Modification", "high"],
  ["rolesanywhere:CreateProfile", "Persistence", "T1098 Account Manipulation", "medium"],
  ["lambda:UpdateFunctionCode", "Persistence", "T1525 Implant Internal Image", "medium"],
  ["lambda:UpdateFunctionConfiguration", "Persistence", "T1525 Implant Internal Image", "low"],
  ["lambda:PublishLayerVersion", "Persistence", "T1525 Implant Internal Image", "medium"],
  ["lambda:AddPermission", "Persistence", "T1098 Account Manipulation", "medium"],
  ["lambda:CreateFunctionUrlConfig", "Persistence", "T1098 Account Manipulation", "medium"],
  ["iam:AttachUserPolicy", "Privilege Escalation", CLOUD_ROLES, "high"],
  ["iam:AttachRolePolicy", "Privilege Escalation", CLOUD_ROLES, "medium"],
  ["iam:AttachGroupPolicy", "Privilege Escalation", CLOUD_ROLES, "medium"],
  ["iam:PutUserPolicy", "Privilege Escalation", CLOUD_ROLES, "high"],
  ["iam:PutRolePolicy", "Privilege Escalation", CLOUD_ROLES, "medium"],
  ["iam:PutGroupPolicy", "Privilege Escalation", CLOUD_ROLES, "medium"],
  ["iam:AddUserToGroup", "Privilege Escalation", CLOUD_ROLES, "medium"],
  ["iam:CreatePolicyVersion", "Privilege Escalation", CLOUD_ROLES, "high"],
  ["iam:SetDefaultPolicyVersion", "Privilege Escalation", CLOUD_ROLES, "high"],
  ["iam:PassRole", "Privilege Escalation", CLOUD_ROLES, "low"],
  ["secretsmanager:GetSecretValue", "Credential Access", SECRETS, "medium"],
  ["secretsmanager:BatchGetSecretValue", "Credential Access", SECRETS, "high"],
  ["ssm:GetParameter", "Credential Access", SECRETS, "low", /"withDecryption"\s*:\s*true/i],
  ["ssm:GetParameters", "Credential Access", SECRETS, "low", /"withDecryption"\s*:\s*true/i],
  ["ssm:GetParametersByPath", "Credential Access", SECRETS, "low", /"withDecryption"\s*:\s*true/i],
  ["ssm:DescribeParameters", "Discovery", "T1526 Cloud Service Discovery", "low"],
  ["ec2:GetPasswordData", "Credential Access", "T1552.005 Cloud Instance Metadata API", "high"],
  ["ec2:ModifySnapshotAttribute", "Exfiltration", TRANSFER, "high"],
  ["ec2:ModifyImageAttribute", "Exfiltration", TRANSFER, "high"],
  ["rds:ModifyDBSnapshotAttribute", "Exfiltration", TRANSFER, "high"],
  ["rds:ModifyDBClusterSnapshotAttribute", "Exfiltration", TRANSFER, "high"],
  ["s3:PutBucketPolicy", "Exfiltration", TRANSFER, "high"],
  ["s3:PutBucketAcl", "Exfiltration", TRANSFER, "medium"],
  ["s3:PutBucketReplication", "Exfiltration", TRANSFER, "high"],
  ["ec2:RunInstances", "Execution", "T1578.002 Create Cloud Instance", "medium"],
  ["ssm:SendCommand", "Execution", ADMIN_CMD, "high"],
  ["ssm:StartSession", "Execution", ADMIN_CMD, "medium"],
  ["ecs:ExecuteCommand", "Execution", ADMIN_CMD, "medium"],
  ["ec2:ModifyInstanceAttribute", "Execution", "T1059.009 Cloud API", "medium"],
  ["ec2-instance-connect:SendSSHPublicKey", "Lateral Movement", VM_CONNECT, "high"],
  ["ec2-instance-connect:SendSerialConsoleSSHPublicKey", "Lateral Movement", VM_CONNECT, "high"],
  ["ec2:DescribeInstanceAttribute", "Discovery", "T1580 Cloud Infrastructure Discovery", "low"],
  ["iam:GetAccountAuthorizationDetails", "Discovery", "T1087.004 Cloud Account Discovery", "medium"],
  ["sts:GetCallerIdentity", "Discovery", "T1087.004 Cloud Account Discovery", "low"],
  ["ses:GetAccountSendingEnabled", "Discovery", "T1526 Cloud Service Discovery", "low"],
  ["ses:ListIdentities", "Discovery", "T1526 Cloud Service Discovery", "low"],
  [
    "signin:ConsoleLogin",
    "Initial Access",
    "T1078.004 Valid Accounts: Cloud Accounts",
    "low",
    /"MFAUsed"\s*:\s*"No"/,
  ],
  ["bedrock:InvokeModel", "Impact", "T1496.004 Cloud Service Hijacking", "medium"],
  ["kms:ScheduleKeyDeletion", "Impact", "T1485 Data Destruction", "high"],
  ["kms:DisableKey", "Impact", "T1485 Data Destruction", "medium"],
  ["s3:DeleteBucket", "Impact", "T1485 Data Destruction", "medium"],
  ["rds:DeleteDBInstance", "Impact", "T1485 Data Destruction", "medium"],
  ["ec2:DeleteSnapshot", "Impact", "T1485 Data Destruction", "low"],
];

export const SENSITIVE_APIS: ReadonlyMap<string, SensitiveApi> = new Map(
  entries.map(([action, tactic, technique, severity, escalateWhen]) => [
    action,
    escalateWhen ? { tactic, technique, severity, escalateWhen } : { tactic, technique, severity },
  ]),
);

const ESCALATED: Record<Severity, Severity> = { low: "medium", medium: "high", high: "high" };

/** The catalogue entry for an event's action, with its severity raised when the raw record says so. */
export function sensitiveApiOf(event: Pick<TrailEvent, "action" | "raw">): SensitiveApi | undefined {
  const entry = SENSITIVE_APIS.get(event.action);
  if (!entry?.escalateWhen?.test(event.raw)) return entry;
  return { ...entry, severity: ESCALATED[entry.severity] };
}
