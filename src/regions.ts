// Known AWS Regions, their partition and the DNS suffix of that partition's endpoints.
//
// Source: the endpoint-rules partition data shipped with the AWS SDK for JavaScript v3,
// @aws-sdk/core 3.981.1, file dist-es/submodules/client/util-endpoints/lib/aws/partitions.js
// (`partitionsInfo`, version "1.1"). That object is not exported by the package (only the
// `partition()` lookup is, and it falls back to the `aws` partition for any string, so it cannot
// say whether a region exists), and @aws-sdk/core is only a transitive dependency; so the data is
// copied here, pure and importable from anywhere. The `*-global` pseudo-regions of that file are
// left out: they are signing aliases, not places a bucket can live.
//
// To refresh after an SDK upgrade: copy the regions of each partition from that file. The drift
// test in test/unit/service-url.test.ts ("regions match the SDK's partition data") fails when this
// list and the installed SDK disagree.

export type PartitionId = 'aws' | 'aws-cn' | 'aws-us-gov' | 'aws-eusc' | 'aws-iso' | 'aws-iso-b' | 'aws-iso-e' | 'aws-iso-f';

export interface PartitionInfo {
  id: PartitionId;
  /** Suffix of the partition's regional endpoints, e.g. `amazonaws.com` in `s3.us-east-1.amazonaws.com`. */
  dnsSuffix: string;
  /** Suffix of the partition's newer dual-stack endpoints (S3 keeps `s3.dualstack.REGION.<dnsSuffix>`). */
  dualStackDnsSuffix: string;
  /** Region that signs requests to the partition's global endpoints. */
  implicitGlobalRegion: string;
}

export interface RegionInfo {
  region: string;
  partition: PartitionId;
  /** DNS suffix of the region's endpoints (the partition's `dnsSuffix`). */
  dnsSuffix: string;
  description: string;
}

export const PARTITIONS: Readonly<Record<PartitionId, PartitionInfo>> = {
  aws: { id: 'aws', dnsSuffix: 'amazonaws.com', dualStackDnsSuffix: 'api.aws', implicitGlobalRegion: 'us-east-1' },
  'aws-cn': { id: 'aws-cn', dnsSuffix: 'amazonaws.com.cn', dualStackDnsSuffix: 'api.amazonwebservices.com.cn', implicitGlobalRegion: 'cn-northwest-1' },
  'aws-eusc': { id: 'aws-eusc', dnsSuffix: 'amazonaws.eu', dualStackDnsSuffix: 'api.amazonwebservices.eu', implicitGlobalRegion: 'eusc-de-east-1' },
  'aws-iso': { id: 'aws-iso', dnsSuffix: 'c2s.ic.gov', dualStackDnsSuffix: 'api.aws.ic.gov', implicitGlobalRegion: 'us-iso-east-1' },
  'aws-iso-b': { id: 'aws-iso-b', dnsSuffix: 'sc2s.sgov.gov', dualStackDnsSuffix: 'api.aws.scloud', implicitGlobalRegion: 'us-isob-east-1' },
  'aws-iso-e': { id: 'aws-iso-e', dnsSuffix: 'cloud.adc-e.uk', dualStackDnsSuffix: 'api.cloud-aws.adc-e.uk', implicitGlobalRegion: 'eu-isoe-west-1' },
  'aws-iso-f': { id: 'aws-iso-f', dnsSuffix: 'csp.hci.ic.gov', dualStackDnsSuffix: 'api.aws.hci.ic.gov', implicitGlobalRegion: 'us-isof-south-1' },
  'aws-us-gov': { id: 'aws-us-gov', dnsSuffix: 'amazonaws.com', dualStackDnsSuffix: 'api.aws', implicitGlobalRegion: 'us-gov-west-1' },
};

export const PARTITION_IDS = Object.keys(PARTITIONS) as PartitionId[];

const REGION_TABLE: ReadonlyArray<readonly [region: string, partition: PartitionId, description: string]> = [
  ['af-south-1', 'aws', 'Africa (Cape Town)'],
  ['ap-east-1', 'aws', 'Asia Pacific (Hong Kong)'],
  ['ap-east-2', 'aws', 'Asia Pacific (Taipei)'],
  ['ap-northeast-1', 'aws', 'Asia Pacific (Tokyo)'],
  ['ap-northeast-2', 'aws', 'Asia Pacific (Seoul)'],
  ['ap-northeast-3', 'aws', 'Asia Pacific (Osaka)'],
  ['ap-south-1', 'aws', 'Asia Pacific (Mumbai)'],
  ['ap-south-2', 'aws', 'Asia Pacific (Hyderabad)'],
  ['ap-southeast-1', 'aws', 'Asia Pacific (Singapore)'],
  ['ap-southeast-2', 'aws', 'Asia Pacific (Sydney)'],
  ['ap-southeast-3', 'aws', 'Asia Pacific (Jakarta)'],
  ['ap-southeast-4', 'aws', 'Asia Pacific (Melbourne)'],
  ['ap-southeast-5', 'aws', 'Asia Pacific (Malaysia)'],
  ['ap-southeast-6', 'aws', 'Asia Pacific (New Zealand)'],
  ['ap-southeast-7', 'aws', 'Asia Pacific (Thailand)'],
  ['ca-central-1', 'aws', 'Canada (Central)'],
  ['ca-west-1', 'aws', 'Canada West (Calgary)'],
  ['eu-central-1', 'aws', 'Europe (Frankfurt)'],
  ['eu-central-2', 'aws', 'Europe (Zurich)'],
  ['eu-north-1', 'aws', 'Europe (Stockholm)'],
  ['eu-south-1', 'aws', 'Europe (Milan)'],
  ['eu-south-2', 'aws', 'Europe (Spain)'],
  ['eu-west-1', 'aws', 'Europe (Ireland)'],
  ['eu-west-2', 'aws', 'Europe (London)'],
  ['eu-west-3', 'aws', 'Europe (Paris)'],
  ['il-central-1', 'aws', 'Israel (Tel Aviv)'],
  ['me-central-1', 'aws', 'Middle East (UAE)'],
  ['me-south-1', 'aws', 'Middle East (Bahrain)'],
  ['me-west-1', 'aws', 'Middle East (Saudi Arabia)'],
  ['mx-central-1', 'aws', 'Mexico (Central)'],
  ['sa-east-1', 'aws', 'South America (Sao Paulo)'],
  ['sa-west-1', 'aws', 'South America (Chile)'],
  ['us-east-1', 'aws', 'US East (N. Virginia)'],
  ['us-east-2', 'aws', 'US East (Ohio)'],
  ['us-west-1', 'aws', 'US West (N. California)'],
  ['us-west-2', 'aws', 'US West (Oregon)'],
  ['cn-north-1', 'aws-cn', 'China (Beijing)'],
  ['cn-northwest-1', 'aws-cn', 'China (Ningxia)'],
  ['eusc-de-east-1', 'aws-eusc', 'AWS European Sovereign Cloud (Germany)'],
  ['us-iso-east-1', 'aws-iso', 'US ISO East'],
  ['us-iso-west-1', 'aws-iso', 'US ISO WEST'],
  ['us-isob-east-1', 'aws-iso-b', 'US ISOB East (Ohio)'],
  ['us-isob-west-1', 'aws-iso-b', 'US ISOB West'],
  ['eu-isoe-west-1', 'aws-iso-e', 'EU ISOE West'],
  ['us-isof-east-1', 'aws-iso-f', 'US ISOF EAST'],
  ['us-isof-south-1', 'aws-iso-f', 'US ISOF SOUTH'],
  ['us-gov-east-1', 'aws-us-gov', 'AWS GovCloud (US-East)'],
  ['us-gov-west-1', 'aws-us-gov', 'AWS GovCloud (US-West)'],
];

/** Every known region with its partition and DNS suffix (pseudo-regions such as `aws-global` excluded). */
export const KNOWN_REGIONS: readonly RegionInfo[] = Object.freeze(
  REGION_TABLE.map(([region, partition, description]) => Object.freeze({ region, partition, dnsSuffix: PARTITIONS[partition].dnsSuffix, description })),
);

const BY_NAME: ReadonlyMap<string, RegionInfo> = new Map(KNOWN_REGIONS.map((r) => [r.region, r]));

/** True for an exact, lower-case region code from the list (e.g. `us-east-1`); `US-EAST-1`, `aws-global` are false. */
export function isKnownRegion(region: string): boolean {
  return BY_NAME.has(region);
}

/** The region's entry, or null when the region is not known. */
export function regionInfo(region: string): RegionInfo | null {
  return BY_NAME.get(region) ?? null;
}

/** The partition of a known region (`us-gov-west-1` → `aws-us-gov`), or null when the region is not known. */
export function partitionOf(region: string): PartitionId | null {
  return BY_NAME.get(region)?.partition ?? null;
}

/** DNS suffix of a known region's endpoints (`cn-north-1` → `amazonaws.com.cn`), or null when not known. */
export function dnsSuffixOf(region: string): string | null {
  return BY_NAME.get(region)?.dnsSuffix ?? null;
}

export function isPartitionId(value: string): value is PartitionId {
  return Object.hasOwn(PARTITIONS, value);
}
