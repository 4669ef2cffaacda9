import { accountId, ec2Id, secretSuffix } from "./ids.ts";
import type { Rng } from "./prng.ts";

/** What exists in one account, so API calls name real-looking, consistent resources. */
export interface Inventory {
  instances: { id: string; type: string; name: string; az: string; volume: string }[];
  amis: string[];
  snapshots: string[];
  securityGroups: string[];
  vpc: string;
  subnets: string[];
  flowLogs: string[];
  buckets: string[];
  functions: string[];
  secrets: string[];
  parameters: { name: string; secure: boolean }[];
  dbInstances: string[];
  repositories: string[];
  stacks: string[];
  logGroups: string[];
  kmsKeys: string[];
  roles: string[];
  tables: { database: string; table: string }[];
  workgroups: string[];
  distribution: string;
  autoScalingGroup: string;
}

export interface Account {
  id: string;
  alias: string;
  homeRegion: string;
  secondaryRegion: string;
  /** Set when the account's logs arrive through an organization trail (`AWSLogs/<orgId>/<account>/…`). */
  orgId: string | null;
  trailName: string;
  trailBucket: string;
  inventory: Inventory;
}

const INSTANCE_TYPES = ["t3.medium", "t3.large", "m6i.large", "m6i.xlarge", "c6i.xlarge"];

function buildInventory(rng: Rng, alias: string, id: string, home: string, data: boolean): Inventory {
  const azs = ["a", "b", "c"].map((s) => `${home}${s}`);
  const instances = Array.from({ length: data ? 4 : 14 }, (_, i) => ({
    id: ec2Id(rng, "i"),
    type: i < 10 ? rng.pick(INSTANCE_TYPES.slice(0, 3)) : rng.pick(INSTANCE_TYPES),
    name: data ? `airflow-worker-${i + 1}` : i < 10 ? "orders-api" : i === 10 ? "bastion" : `batch-${i - 10}`,
    az: rng.pick(azs),
    volume: ec2Id(rng, "vol"),
  }));
  const secretNames = data
    ? ["prod/warehouse/redshift-admin", "prod/airflow/fernet-key", "prod/etl/source-db-readonly"]
    : [
        "prod/orders-api/db-credentials",
        "prod/stripe/api-key",
        "prod/sendgrid/api-key",
        "prod/github/app-private-key",
        "ci/npm-publish-token",
        "prod/orders-api/jwt-signing-key",
        "prod/datadog/api-key",
      ];
  const parameters = data
    ? [
        { name: "/etl/prod/SOURCE_DB_HOST", secure: false },
        { name: "/etl/prod/SOURCE_DB_PASSWORD", secure: true },
        { name: "/etl/prod/BATCH_SIZE", secure: false },
      ]
    : [
        { name: "/orders-api/prod/DATABASE_URL", secure: true },
        { name: "/orders-api/prod/LOG_LEVEL", secure: false },
        { name: "/orders-api/prod/STRIPE_WEBHOOK_SECRET", secure: true },
        { name: "/web/prod/FEATURE_FLAGS", secure: false },
        { name: "/shared/prod/SLACK_WEBHOOK_URL", secure: true },
        { name: "/shared/prod/VPN_PSK", secure: true },
        { name: "/orders-api/staging/DATABASE_URL", secure: true },
        { name: "/image-resizer/prod/MAX_WIDTH", secure: false },
      ];
  return {
    instances,
    amis: Array.from({ length: 3 }, () => ec2Id(rng, "ami")),
    snapshots: Array.from({ length: 6 }, () => ec2Id(rng, "snap")),
    securityGroups: Array.from({ length: 5 }, () => ec2Id(rng, "sg")),
    vpc: ec2Id(rng, "vpc"),
    subnets: Array.from({ length: 6 }, () => ec2Id(rng, "subnet")),
    flowLogs: [ec2Id(rng, "fl")],
    buckets: data
      ? [
          `${alias}-lake-raw`,
          `${alias}-lake-curated`,
          `${alias}-athena-results-${id}`,
          `${alias}-airflow-dags`,
        ]
      : [
          `${alias}-assets`,
          `${alias}-uploads`,
          `${alias}-web-frontend`,
          `cdk-hnb659fds-assets-${id}-${home}`,
          `${alias}-backups`,
          `${alias}-terraform-state`,
          `${alias}-cloudtrail-${id}`,
        ],
    functions: data
      ? ["partition-repair", "lake-compactor"]
      : [
          "orders-api-handler",
          "image-resizer",
          "inventory-collector",
          "snapshot-janitor",
          "webhook-dispatcher",
        ],
    secrets: secretNames.map(
      (name) => `arn:aws:secretsmanager:${home}:${id}:secret:${name}-${secretSuffix(rng)}`,
    ),
    parameters,
    dbInstances: data ? ["warehouse-staging"] : ["orders-db", "orders-db-replica"],
    repositories: data ? ["etl-runner"] : ["orders-api", "web-frontend", "image-resizer"],
    stacks: data
      ? ["DataLakeStack", "EtlRunnerStack"]
      : ["OrdersApiStack", "WebFrontendStack", "NetworkStack"],
    logGroups: data
      ? ["/ecs/etl-runner", "/aws/lambda/partition-repair", "/aws-glue/crawlers"]
      : [
          "/aws/lambda/orders-api-handler",
          "/aws/lambda/image-resizer",
          "/aws/lambda/webhook-dispatcher",
          "/ecs/orders-worker",
          "/aws/rds/instance/orders-db/postgresql",
        ],
    kmsKeys: Array.from({ length: 3 }, () => rng.uuid()),
    roles: data
      ? ["etl-runner-task-role", "GlueCrawlerRole", "AthenaAnalystsRole"]
      : [
          "orders-api-lambda-role",
          "GitHubActionsDeployRole",
          "inventory-collector-role",
          "snapshot-janitor-role",
          "ReadOnlyAuditRole",
          "cdk-hnb659fds-cfn-exec-role",
          "OrdersWorkerTaskRole",
        ],
    tables: data
      ? [
          { database: "sales", table: "orders" },
          { database: "sales", table: "order_items" },
          { database: "web_events", table: "page_views" },
          { database: "web_events", table: "sessions" },
          { database: "finance", table: "invoices" },
          { database: "finance", table: "cost_allocation" },
        ]
      : [],
    workgroups: data ? ["primary", "analysts", "etl"] : ["primary"],
    distribution: `E${rng.upperAlnum(13)}`,
    autoScalingGroup: data ? "airflow-workers" : "orders-api-asg",
  };
}

export interface Accounts {
  prod: Account;
  data: Account;
  /** Another account of the organisation (disaster recovery): the benign target of snapshot sharing. */
  drAccountId: string;
  /** An account outside the organisation, used only by attack scenarios. */
  externalAccountId: string;
}

export function buildAccounts(rng: Rng, brand: string): Accounts {
  const prodId = accountId(rng);
  const dataId = accountId(rng);
  const orgId = `o-${rng.alnum(10).toLowerCase()}`;
  return {
    prod: {
      id: prodId,
      alias: `${brand}-prod`,
      homeRegion: "eu-central-1",
      secondaryRegion: "eu-west-1",
      orgId: null,
      trailName: "management-events",
      trailBucket: `${brand}-prod-cloudtrail-${prodId}`,
      inventory: buildInventory(rng.fork("prod"), `${brand}-prod`, prodId, "eu-central-1", false),
    },
    data: {
      id: dataId,
      alias: `${brand}-data`,
      homeRegion: "eu-central-1",
      secondaryRegion: "us-east-1",
      orgId,
      trailName: "org-trail",
      trailBucket: `${brand}-org-cloudtrail`,
      inventory: buildInventory(rng.fork("data"), `${brand}-data`, dataId, "eu-central-1", true),
    },
    drAccountId: accountId(rng),
    externalAccountId: accountId(rng),
  };
}
