import type { Rng } from "./prng.ts";
import type { Call } from "./record.ts";

/** Error codes and messages as each service words them. */

/** The principal was not allowed: wording and code differ per service (EC2 says Client.UnauthorizedOperation). */
export function denied(rng: Rng, call: Call, callerArn: string, resource = "*", scp = false): Call {
  const action = `${call.service}:${call.name.replace(/\d{8}(v\d)?$/, "")}`;
  const reason = scp
    ? "with an explicit deny in a service control policy"
    : `because no identity-based policy allows the ${action} action`;
  const base = `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource} ${reason}`;
  let error: { code: string; message: string };
  switch (call.service) {
    case "ec2":
      error = {
        code: "Client.UnauthorizedOperation",
        message: `You are not authorized to perform this operation. ${base}. Encoded authorization failure message: ${rng.base64(120)}`,
      };
      break;
    case "s3":
      error = { code: "AccessDenied", message: "Access Denied" };
      break;
    case "iam":
    case "sts":
    case "rds":
    case "monitoring":
    case "cloudformation":
    case "autoscaling":
    case "elasticloadbalancing":
    case "cloudfront":
      error = { code: "AccessDenied", message: base };
      break;
    default:
      error = { code: "AccessDeniedException", message: base };
  }
  return { ...call, error, response: null };
}

export function throttled(call: Call): Call {
  const code = call.service === "ec2" ? "Client.RequestLimitExceeded" : "ThrottlingException";
  const message = call.service === "ec2" ? "Request limit exceeded." : "Rate exceeded";
  return { ...call, error: { code, message }, response: null };
}

export function notFound(call: Call, what: string): Call {
  switch (call.service) {
    case "iam":
      return {
        ...call,
        error: { code: "NoSuchEntity", message: `The role with name ${what} cannot be found.` },
      };
    case "ssm":
      return { ...call, error: { code: "ParameterNotFound", message: "" } };
    case "s3":
      return { ...call, error: { code: "NoSuchBucketPolicy", message: "The bucket policy does not exist" } };
    case "ec2":
      return {
        ...call,
        error: {
          code: "Client.InvalidInstanceID.NotFound",
          message: `The instance ID '${what}' does not exist`,
        },
      };
    default:
      return {
        ...call,
        error: { code: "ResourceNotFoundException", message: `Resource ${what} not found.` },
      };
  }
}
