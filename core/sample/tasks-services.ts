import { notFound } from "./api-errors.ts";
import { bucketCall, call, cfnStack, getParameter, listBuckets, readSecret } from "./api-services.ts";
import { burst, jumble, mode, poll, type Step, step, type TaskContext, think } from "./task-kit.ts";

/** Service look-ups and small changes developers and analysts make: S3, SSM, secrets, images, stacks. */

function s3Look(c: TaskContext): Step[] {
  const via = mode(c);
  const buckets = c.account.inventory.buckets;
  const steps: Step[] = [step(listBuckets(), 0, via)];
  const chosen = c.rng.shuffle([...buckets]).slice(0, c.console ? c.rng.int(2, 5) : 1);
  for (const bucket of chosen) {
    steps.push(
      step(
        bucketCall("GetBucketLocation", "location", bucket, c.account, c.region),
        c.console ? 0.3 : think(c.rng, 2),
        via,
      ),
    );
    if (c.console) {
      steps.push(
        ...burst(
          c.rng,
          [
            bucketCall("GetBucketPolicyStatus", "policyStatus", bucket, c.account, c.region),
            bucketCall("GetBucketPublicAccessBlock", "publicAccessBlock", bucket, c.account, c.region),
            bucketCall("GetBucketVersioning", "versioning", bucket, c.account, c.region),
          ],
          via,
          think(c.rng, 6),
        ),
      );
    }
  }
  return c.console ? jumble(c.rng, steps) : steps;
}

function ssmLook(c: TaskContext): Step[] {
  const via = mode(c);
  const params = c.account.inventory.parameters;
  const prefix = c.rng.pick(params).name.split("/").slice(0, 3).join("/");
  const steps: Step[] = [];
  if (c.console) steps.push(step(call("ssm", "DescribeParameters", { maxResults: 50 }), 0, via));
  steps.push(
    step(
      call("ssm", "GetParametersByPath", {
        path: prefix,
        recursive: true,
        withDecryption: c.rng.chance(0.5),
      }),
      think(c.rng, 4),
      via,
    ),
  );
  const param = c.rng.pick(params);
  const get = getParameter(param.name, param.secure);
  steps.push(
    step(
      c.rng.chance(0.08)
        ? notFound({ ...get, params: { name: `${param.name}_V2`, withDecryption: true } }, param.name)
        : get,
      think(c.rng),
      via,
    ),
  );
  if (c.rng.chance(0.1) && param.name.includes("staging")) {
    steps.push(
      step(
        call(
          "ssm",
          "PutParameter",
          { name: param.name, type: "SecureString", overwrite: true, tier: "Standard" },
          { version: c.rng.int(2, 30), tier: "Standard" },
        ),
        think(c.rng, 20),
        via,
      ),
    );
  }
  return steps;
}

function secretsLook(c: TaskContext): Step[] {
  const via = mode(c);
  const secret = c.rng.pick(c.account.inventory.secrets);
  const steps: Step[] = [];
  if (c.console) steps.push(step(call("secretsmanager", "ListSecrets", { maxResults: 100 }), 0, via));
  steps.push(step(call("secretsmanager", "DescribeSecret", { secretId: secret }), think(c.rng, 3), via));
  if (c.rng.chance(0.6)) {
    const [get, decrypt] = readSecret(c.rng, c.account, c.region, secret);
    if (get && decrypt) steps.push(step(get, think(c.rng, 5), via), step(decrypt, 0, via));
  }
  return steps;
}

function ecrPush(c: TaskContext): Step[] {
  const repo = c.rng.pick(c.account.inventory.repositories);
  const steps: Step[] = [step(call("ecr", "GetAuthorizationToken", {}), 0, "cli")];
  steps.push(
    step(
      call("ecr", "BatchCheckLayerAvailability", {
        repositoryName: repo,
        layerDigests: [`sha256:${c.rng.hex(64)}`],
      }),
      think(c.rng, 10),
      "docker",
    ),
  );
  const layers = c.rng.int(1, 3);
  for (let i = 0; i < layers; i++) {
    const uploadId = c.rng.uuid();
    steps.push(
      step(
        call("ecr", "InitiateLayerUpload", { repositoryName: repo }, { uploadId, partSize: 10485760 }),
        c.rng.range(0.2, 2),
        "docker",
      ),
    );
    steps.push(
      step(
        call("ecr", "UploadLayerPart", {
          repositoryName: repo,
          uploadId,
          partFirstByte: 0,
          partLastByte: c.rng.int(1e5, 9e7),
        }),
        c.rng.range(1, 15),
        "docker",
      ),
    );
    steps.push(
      step(
        call("ecr", "CompleteLayerUpload", {
          repositoryName: repo,
          uploadId,
          layerDigests: [`sha256:${c.rng.hex(64)}`],
        }),
        c.rng.range(0.3, 2),
        "docker",
      ),
    );
  }
  steps.push(
    step(call("ecr", "PutImage", { repositoryName: repo, imageTag: `dev-${c.rng.hex(7)}` }), 1, "docker"),
  );
  return steps;
}

function cfnLook(c: TaskContext): Step[] {
  const via = mode(c);
  const stack = c.rng.pick(c.account.inventory.stacks);
  const steps: Step[] = [];
  if (c.console)
    steps.push(
      step(
        call("cloudformation", "ListStacks", {
          stackStatusFilter: ["CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE"],
        }),
        0,
        via,
      ),
    );
  steps.push(step(cfnStack("DescribeStacks", stack), think(c.rng, 3), via));
  steps.push(
    ...poll(c.rng, cfnStack("DescribeStackEvents", stack), c.rng.int(1, 3), c.console ? 5 : 12, via),
  );
  if (c.rng.chance(0.4))
    steps.push(step(cfnStack("GetTemplate", stack, { templateStage: "Original" }), think(c.rng), via));
  if (c.console && c.rng.chance(0.5))
    steps.push(step(cfnStack("DescribeStackResources", stack), think(c.rng, 3), via));
  return steps;
}

function dynamoLook(c: TaskContext): Step[] {
  const via = mode(c);
  const table = c.rng.pick(["orders", "order-events", "idempotency-keys", "sessions"]);
  const steps = [
    step(call("dynamodb", "ListTables", {}), 0, via),
    step(call("dynamodb", "DescribeTable", { tableName: table }), think(c.rng, 3), via),
  ];
  if (c.console)
    steps.push(
      ...burst(
        c.rng,
        [
          call("dynamodb", "DescribeContinuousBackups", { tableName: table }),
          call("dynamodb", "DescribeTimeToLive", { tableName: table }),
        ],
        via,
        0.5,
      ),
    );
  return steps;
}

export { cfnLook, dynamoLook, ecrPush, s3Look, secretsLook, ssmLook };
