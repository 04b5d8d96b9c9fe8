import type { FieldErrors } from "../errors";
import { registryKeyPattern, registryKeyProblem } from "../images/registry-key";
import {
  awsRegionPattern,
  awsRoleArnPattern,
  dns1123Label,
  dns1123Subdomain,
  isClusterKey,
  registryIdPattern,
} from "./types";

// The field checks of RegistryRequestShape (schema.ts) for what the dialog sends, without zod in the browser:
// the same messages in the same order (form-checks.test.ts compares both on a table of inputs).

type Check = [ok: (v: string) => boolean, message: string];

const length = (min: number, max: number) => (v: string) => v.length >= min && v.length <= max;
const atLeast = (n: number) => (v: string) => v.length >= n;
const atMost = (n: number) => (v: string) => v.length <= n;

const idChecks = (label: string): Check[] => [
  [atLeast(1), `${label} is required`],
  [atLeast(3), `${label} must be at least 3 characters`],
  [atMost(63), `${label} must be at most 63 characters`],
  [
    (v) => registryIdPattern.test(v),
    `${label} can only use lowercase letters, digits and hyphens, and must start and end with a letter or digit`,
  ],
];

const registryChecks: Check[] = [
  [atLeast(1), "Registry URL is required"],
  [atMost(255), "Registry URL must be at most 255 characters"],
  [(v) => v === "" || registryKeyProblem(v) === null, ""],
  [
    (v) => registryKeyPattern.test(v),
    "Registry URL must be a host, optionally with a path, such as registry.example.com or registry.example.com/team",
  ],
];

const namespaceChecks: Check[] = [
  [atLeast(1), "Namespace is required"],
  [atMost(63), "Namespace must be at most 63 characters"],
  [
    (v) => dns1123Label.test(v),
    "Namespace can only use lowercase letters, digits and hyphens, and must start and end with a letter or digit",
  ],
];

const secretNameChecks: Check[] = [
  [atLeast(1), "Secret name is required"],
  [atMost(253), "Secret name must be at most 253 characters"],
  [
    (v) => dns1123Subdomain.test(v),
    "Secret name can only use lowercase letters, digits, '-' and '.', and must start and end with a letter or digit",
  ],
];

const caChecks: Check[] = [
  [atMost(65536), "CA certificate must be at most 64 KiB"],
  [
    (v) => /-----BEGIN CERTIFICATE-----/.test(v),
    "CA certificate must be a PEM certificate (-----BEGIN CERTIFICATE-----)",
  ],
  [(v) => !v.includes("\u0000"), "CA certificate must not contain NUL characters"],
];

function firstProblem(value: string, checks: Check[]): string | null {
  for (const [ok, message] of checks) {
    if (ok(value)) continue;
    return message || `Registry URL ${registryKeyProblem(value)}`;
  }
  return null;
}

export type FormBody = {
  id: string;
  registry: string;
  creds?: { username?: string; password?: string };
  secrets?: Record<string, { namespace: string; secret: string }>;
  region?: string;
  ca_cert?: string;
  aws_role_arn?: string | null;
};

/** The field errors RegistryRequestShape gives for a body the registry dialog built. */
export function checkRegistryFields(body: FormBody): FieldErrors {
  const errors: FieldErrors = {};
  const put = (key: string, problem: string | null) => {
    if (problem && !errors[key]) errors[key] = problem;
  };
  put("id", firstProblem(body.id, idChecks("ID")));
  put("registry", firstProblem(body.registry, registryChecks));
  if (body.creds?.username !== undefined)
    put("creds.username", length(0, 1024)(body.creds.username) ? null : "Username must be at most 1024 characters");
  if (body.creds?.password !== undefined)
    put("creds.password", length(0, 65536)(body.creds.password) ? null : "Password must be at most 64 KiB");
  for (const [cluster, ref] of Object.entries(body.secrets ?? {})) {
    // zod reports a record key that fails its refinement as an invalid key, without the refinement's message.
    if (!isClusterKey(cluster)) {
      put(`secrets.${cluster}`, `secrets.${cluster} is not valid`);
      continue;
    }
    put(`secrets.${cluster}.namespace`, firstProblem(ref.namespace, namespaceChecks));
    put(`secrets.${cluster}.secret`, firstProblem(ref.secret, secretNameChecks));
  }
  if (body.region !== undefined && !awsRegionPattern.test(body.region))
    put("region", "Region must be an AWS region such as eu-west-1");
  if (body.ca_cert !== undefined) put("ca_cert", firstProblem(body.ca_cert, caChecks));
  if (body.aws_role_arn !== undefined && body.aws_role_arn !== null) {
    if (body.aws_role_arn.length > 2048) put("aws_role_arn", "Role ARN (aws_role_arn) must be at most 2048 characters");
    else if (!awsRoleArnPattern.test(body.aws_role_arn))
      put(
        "aws_role_arn",
        "Role ARN (aws_role_arn) must be an IAM role ARN such as arn:aws:iam::123456789012:role/regcred-pull",
      );
  }
  return errors;
}
