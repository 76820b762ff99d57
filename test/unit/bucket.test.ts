// Bucket names and references: one row per case, exact expectations.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { bucketNameNotes, normalizeBucketRef, sameBucket, validateBucketName } from '../../src/config/bucket.ts';

const a63 = 'a'.repeat(63);
const a64 = 'a'.repeat(64);

describe('validateBucketName', () => {
  const rows: Array<[name: string, input: string, problem: string | null]> = [
    ['simple name', 'ghes-packages', null],
    ['digits only', '123', null],
    ['3 characters', 'abc', null],
    ['63 characters', a63, null],
    ['dots are valid', 'packages.example.com', null],
    ['hyphen next to dot is valid', 'a-.b', null],
    ['IP-like but 5 groups is valid', '1.2.3.4.5', null],
    ['reserved word inside, not as prefix', 'my-xn--bucket', null],
    ['empty', '', 'is empty; give the S3 bucket name, e.g. ghes-packages'],
    ['2 characters', 'ab', "must be 3 to 63 characters long ('ab' has 2); use the name exactly as the S3 console lists it"],
    ['64 characters', a64, `must be 3 to 63 characters long ('${a64}' has 64); use the name exactly as the S3 console lists it`],
    ['upper case', 'GhesPackages', "may contain only lower-case letters, digits, dots and hyphens ('GhesPackages' contains 'G', 'P'); did you mean 'ghespackages'?"],
    ['underscore', 'ghes_packages', "may contain only lower-case letters, digits, dots and hyphens ('ghes_packages' contains '_'); did you mean 'ghes-packages'?"],
    ['space and punctuation', 'my bucket!', "may contain only lower-case letters, digits, dots and hyphens ('my bucket!' contains ' ', '!'); use the name exactly as the S3 console lists it"],
    ['leading hyphen', '-ghes', "must begin with a letter or digit ('-ghes'); remove the leading '-'"],
    ['leading dot', '.ghes', "must begin with a letter or digit ('.ghes'); remove the leading '.'"],
    ['trailing hyphen', 'ghes-', "must end with a letter or digit ('ghes-'); remove the trailing '-'"],
    ['trailing dot', 'ghes.', "must end with a letter or digit ('ghes.'); remove the trailing '.'"],
    ['adjacent dots', 'ghes..packages', "must not contain two adjacent dots ('ghes..packages'); check the name for a typo"],
    ['IPv4 address', '192.168.5.4', "must not be formatted as an IP address ('192.168.5.4'); S3 rejects such names, so use a name such as ghes-packages"],
    ['prefix xn--', 'xn--ghes', "must not start with the reserved prefix 'xn--' ('xn--ghes'); S3 rejects such names, so choose another name"],
    ['prefix sthree-', 'sthree-ghes', "must not start with the reserved prefix 'sthree-' ('sthree-ghes'); S3 rejects such names, so choose another name"],
    ['prefix sthree-configurator', 'sthree-configurator', "must not start with the reserved prefix 'sthree-' ('sthree-configurator'); S3 rejects such names, so choose another name"],
    ['prefix amzn-s3-demo-', 'amzn-s3-demo-bucket', "must not start with the reserved prefix 'amzn-s3-demo-' ('amzn-s3-demo-bucket'); S3 rejects such names, so choose another name"],
    ['suffix -s3alias', 'ghes-s3alias', "must not end with the reserved suffix '-s3alias' ('ghes-s3alias' names an access point alias, not a general purpose bucket); give the general purpose bucket's name"],
    ['suffix --ol-s3', 'ghes--ol-s3', "must not end with the reserved suffix '--ol-s3' ('ghes--ol-s3' names an Object Lambda access point alias, not a general purpose bucket); give the general purpose bucket's name"],
    ['suffix .mrap', 'ghes.mrap', "must not end with the reserved suffix '.mrap' ('ghes.mrap' names a Multi-Region Access Point alias, not a general purpose bucket); give the general purpose bucket's name"],
    ['suffix --x-s3', 'ghes--use1-az4--x-s3', "must not end with the reserved suffix '--x-s3' ('ghes--use1-az4--x-s3' names a directory bucket, not a general purpose bucket); give the general purpose bucket's name"],
    ['suffix --table-s3', 'ghes--table-s3', "must not end with the reserved suffix '--table-s3' ('ghes--table-s3' names an S3 Tables bucket, not a general purpose bucket); give the general purpose bucket's name"],
  ];
  for (const [name, input, problem] of rows) test(name, () => assert.equal(validateBucketName(input), problem));
});

describe('normalizeBucketRef', () => {
  const rows: Array<[name: string, input: string, expected: { bucket: string } | { problem: string }]> = [
    ['plain name', 'ghes-packages', { bucket: 'ghes-packages' }],
    ['surrounding whitespace', '  ghes-packages\n', { bucket: 'ghes-packages' }],
    ['keeps case for the validator', 'GhesPackages', { bucket: 'GhesPackages' }],
    ['s3:// URI', 's3://ghes-packages', { bucket: 'ghes-packages' }],
    ['s3:// URI with trailing slash', 's3://ghes-packages/', { bucket: 'ghes-packages' }],
    ['S3:// upper-case scheme', 'S3://ghes-packages', { bucket: 'ghes-packages' }],
    ['bucket ARN, aws', 'arn:aws:s3:::ghes-packages', { bucket: 'ghes-packages' }],
    ['bucket ARN, aws-cn', 'arn:aws-cn:s3:::ghes-packages', { bucket: 'ghes-packages' }],
    ['bucket ARN, aws-us-gov', 'arn:aws-us-gov:s3:::ghes-packages', { bucket: 'ghes-packages' }],
    ['empty', '', { problem: 'is empty; give the S3 bucket name, e.g. ghes-packages' }],
    ['whitespace only', '   ', { problem: 'is empty; give the S3 bucket name, e.g. ghes-packages' }],
    ['s3:// with no bucket', 's3://', { problem: "has no bucket name after s3:// ('s3://'); give the bucket name, e.g. s3://ghes-packages or ghes-packages" }],
    ['s3:// with a key', 's3://ghes-packages/prefix/key', { problem: "must name the bucket only, not an object or prefix ('s3://ghes-packages/prefix/key' has '/prefix/key' after the bucket); GHES uses the whole bucket, so give ghes-packages" }],
    ['object ARN', 'arn:aws:s3:::ghes-packages/key', { problem: "must be a bucket ARN, not an object ARN ('arn:aws:s3:::ghes-packages/key' has '/key' after the bucket); give arn:aws:s3:::ghes-packages or just ghes-packages" }],
    ['object wildcard ARN from a policy', 'arn:aws-us-gov:s3:::ghes-packages/*', { problem: "must be a bucket ARN, not an object ARN ('arn:aws-us-gov:s3:::ghes-packages/*' has '/*' after the bucket); give arn:aws-us-gov:s3:::ghes-packages or just ghes-packages" }],
    ['ARN without bucket', 'arn:aws:s3:::', { problem: "has no bucket name ('arn:aws:s3:::'); a bucket ARN looks like arn:aws:s3:::ghes-packages" }],
    ['access point ARN', 'arn:aws:s3:us-east-1:123456789012:accesspoint/ghes', { problem: "is an S3 access point ARN ('arn:aws:s3:us-east-1:123456789012:accesspoint/ghes'); give the bucket's own name or arn:aws:s3:::BUCKET" }],
    ['ARN of another service', 'arn:aws:iam::123456789012:user/ghes', { problem: "is an ARN of service 'iam', not an S3 bucket ARN ('arn:aws:iam::123456789012:user/ghes'); give the bucket name or arn:aws:s3:::BUCKET" }],
    ['unknown partition', 'arn:azure:s3:::ghes-packages', { problem: "has an unknown ARN partition 'azure' ('arn:azure:s3:::ghes-packages'); use one of aws, aws-cn, aws-eusc, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-us-gov, e.g. arn:aws:s3:::ghes-packages" }],
    ['truncated ARN', 'arn:aws:s3', { problem: "is not a well-formed ARN ('arn:aws:s3'); a bucket ARN looks like arn:aws:s3:::ghes-packages, or give just the bucket name" }],
    ['https URL', 'https://ghes-packages.s3.amazonaws.com', { problem: "is a URL, not a bucket name ('https://ghes-packages.s3.amazonaws.com'); give just the bucket name (the service URL goes in --service-url)" }],
    ['name with a path', 'ghes-packages/prefix', { problem: "must name the bucket only, not a path ('ghes-packages/prefix'); give ghes-packages" }],
  ];
  for (const [name, input, expected] of rows) test(name, () => assert.deepEqual(normalizeBucketRef(input), expected));
});

describe('sameBucket', () => {
  const rows: Array<[name: string, a: string, b: string, same: boolean]> = [
    ['identical names', 'pkg-bucket', 'pkg-bucket', true],
    ['different names', 'pkg-bucket', 'act-bucket', false],
    ['name vs ARN', 'pkg-bucket', 'arn:aws:s3:::pkg-bucket', true],
    ['name vs s3:// URI with slash', 's3://pkg-bucket/', 'pkg-bucket', true],
    ['case-insensitive', 'Pkg-Bucket', 'arn:aws:s3:::pkg-bucket', true],
    ['GovCloud ARN vs name', 'arn:aws-us-gov:s3:::pkg-bucket', 'pkg-bucket', true],
    ['prefix of another name', 'pkg', 'pkg-bucket', false],
    ['unparseable refs compare as trimmed text', ' s3://pkg/key ', 's3://PKG/key', true],
  ];
  for (const [name, a, b, same] of rows) test(name, () => assert.equal(sameBucket(a, b), same));
});

describe('bucketNameNotes', () => {
  const rows: Array<[name: string, input: string, notes: string[]]> = [
    ['no dots: no notes', 'ghes-packages', []],
    [
      'dots: TLS mismatch on virtual-hosted https',
      'packages.example.com',
      [
        "bucket name 'packages.example.com' contains dots: over https, virtual-hosted-style requests (packages.example.com.s3.REGION.amazonaws.com) fail TLS certificate verification because the *.s3.REGION.amazonaws.com certificate covers one label only; prefer a bucket name without dots",
      ],
    ],
    [
      'hyphen next to dot: both notes',
      'ghes-.pkg',
      [
        "bucket name 'ghes-.pkg' contains dots: over https, virtual-hosted-style requests (ghes-.pkg.s3.REGION.amazonaws.com) fail TLS certificate verification because the *.s3.REGION.amazonaws.com certificate covers one label only; prefer a bucket name without dots",
        "bucket name 'ghes-.pkg' has a hyphen next to a dot, which makes a DNS label start or end with a hyphen; some clients reject such host names in virtual-hosted-style requests",
      ],
    ],
  ];
  for (const [name, input, notes] of rows) test(name, () => assert.deepEqual(bucketNameNotes(input), notes));
});
