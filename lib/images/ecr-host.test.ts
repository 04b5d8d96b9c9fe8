import { describe, expect, it } from "vitest";
import { ecrRegion, ecrRegistryPattern, parseEcrHost } from "./ecr-host";
import { registryKeyProblem } from "./registry-key";

const account = "123456789012";

// [host, region, fips, dual-stack, partition domain]: every form the upstream provider's pattern recognises.
const recognised: Array<[string, string, boolean, boolean, string]> = [
  [`${account}.dkr.ecr.us-east-1.amazonaws.com`, "us-east-1", false, false, "amazonaws.com"],
  [`${account}.dkr.ecr-fips.us-gov-west-1.amazonaws.com`, "us-gov-west-1", true, false, "amazonaws.com"],
  [`${account}.dkr.ecr.cn-north-1.amazonaws.com.cn`, "cn-north-1", false, false, "amazonaws.com.cn"],
  [`${account}.dkr.ecr.eusc-de-east-1.amazonaws.eu`, "eusc-de-east-1", false, false, "amazonaws.eu"],
  [`${account}.dkr-ecr.eu-west-1.on.aws`, "eu-west-1", false, true, "on.aws"],
  [`${account}.dkr-ecr-fips.us-east-2.on.aws`, "us-east-2", true, true, "on.aws"],
  [
    `${account}.dkr-ecr.cn-northwest-1.on.amazonwebservices.com.cn`,
    "cn-northwest-1",
    false,
    true,
    "on.amazonwebservices.com.cn",
  ],
  [`${account}.dkr.ecr.us-iso-east-1.c2s.ic.gov`, "us-iso-east-1", false, false, "c2s.ic.gov"],
  [`${account}.dkr.ecr.us-isob-east-1.sc2s.sgov.gov`, "us-isob-east-1", false, false, "sc2s.sgov.gov"],
  [`${account}.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk`, "eu-isoe-west-1", false, false, "cloud.adc-e.uk"],
  [`${account}.dkr.ecr.us-isof-south-1.csp.hci.ic.gov`, "us-isof-south-1", false, false, "csp.hci.ic.gov"],
  // Group 3 as upstream writes it: any letter or digit first, then letters, digits, - and _.
  [`${account}.dkr.ecr.US-EAST-1.amazonaws.com`, "US-EAST-1", false, false, "amazonaws.com"],
  [
    `${account}.dkr.ecr.region_with_underscores.amazonaws.com`,
    "region_with_underscores",
    false,
    false,
    "amazonaws.com",
  ],
];

const notRecognised: Array<[string, string]> = [
  ["12345678901.dkr.ecr.us-east-1.amazonaws.com", "11-digit account"],
  ["1234567890123.dkr.ecr.us-east-1.amazonaws.com", "13-digit account"],
  ["abcdefghijkl.dkr.ecr.us-east-1.amazonaws.com", "account not digits"],
  [`${account}.dkr.ecr.amazonaws.com`, "no region"],
  [`${account}.dkr.ecr.-east-1.amazonaws.com`, "region starting with -"],
  [`${account}.dkr_ecr.us-east-1.amazonaws.com`, "dkr_ecr"],
  [`${account}.dkr.ecr.fips.us-east-1.amazonaws.com`, "fips as a label"],
  [`${account}.dkr.ecr-FIPS.us-east-1.amazonaws.com`, "FIPS in capitals"],
  [`${account}.DKR.ECR.us-east-1.amazonaws.com`, "DKR.ECR in capitals"],
  [`${account}.dkr.ecr.us-east-1.amazonaws.org`, "another domain"],
  [`${account}.dkr.ecr.us-east-1.amazonaws.com.evil.example`, "a suffix after the partition"],
  [`${account}.dkr.ecr.us-east-1.on.aws.cn`, "on.aws.cn"],
  [`${account}.dkr.ecr.us-east-1.amazonaws.de`, "amazonaws.de"],
  [`x${account}.dkr.ecr.us-east-1.amazonaws.com`, "a prefix before the account"],
  [`${account}.dkr.ecr.us.east.1.amazonaws.com`, "dots in the region"],
  ["public.ecr.aws", "ECR Public"],
  [`*.dkr.ecr.us-east-1.amazonaws.com`, "a glob account"],
];

describe("ECR hosts the upstream credential provider recognises", () => {
  it.each(recognised)("%s → %s", (host, region, fips, dualStack, domain) => {
    expect(parseEcrHost(host)).toEqual({ account, fips, dualStack, region, domain });
    expect(ecrRegion(`${host}/team/app`)).toBe(region);
    // url.Hostname(): the port is not part of the host upstream matches.
    expect(ecrRegion(`${host}:443/team`)).toBe(region);
    expect(ecrRegistryPattern.test(`${host}:443/team`)).toBe(true);
  });

  it.each(notRecognised)("%s is not (%s)", (host) => {
    expect(parseEcrHost(host)).toBeNull();
    expect(ecrRegion(host)).toBeNull();
    expect(ecrRegistryPattern.test(host)).toBe(false);
  });

  it("an underscore region is recognised, but no image host has one, so the registry field refuses such a host", () => {
    expect(registryKeyProblem(`${account}.dkr.ecr.region_with_underscores.amazonaws.com`)).toMatch(/label/);
    for (const [host] of recognised.filter(([, region]) => !region.includes("_"))) {
      expect(registryKeyProblem(host), host).toBeNull();
    }
  });
});
