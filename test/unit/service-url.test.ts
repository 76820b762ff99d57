// parseServiceUrl: one row per case; accepted rows compare the whole ServiceEndpoint, rejected rows
// the exact problem sentence. Also the region list it rests on (src/regions.ts).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, test } from 'vitest';
import { dnsSuffixOf, isKnownRegion, KNOWN_REGIONS, PARTITIONS, partitionOf } from '../../src/regions.ts';
import { displayServiceUrl, type EndpointForm, MAX_SERVICE_URL_LENGTH, parseServiceUrl, regionOfEndpoint, type ServiceEndpoint } from '../../src/config/service-url.ts';

type Row = { name: string; input: string } & ({ value: ServiceEndpoint; endpointRegion: string | null } | { problem: string });

const rows: Row[] = [
  { name: "regional", input: "https://s3.us-west-2.amazonaws.com", value: {"url":"https://s3.us-west-2.amazonaws.com","scheme":"https","host":"s3.us-west-2.amazonaws.com","kind":"aws","form":"regional","region":"us-west-2","partition":"aws","ipHost":false,"notes":[]}, endpointRegion: "us-west-2" },
  { name: "legacy dash", input: "https://s3-us-west-2.amazonaws.com", value: {"url":"https://s3-us-west-2.amazonaws.com","scheme":"https","host":"s3-us-west-2.amazonaws.com","kind":"aws","form":"legacy-dash","region":"us-west-2","partition":"aws","ipHost":false,"notes":["s3-us-west-2.amazonaws.com is the legacy s3-REGION form, served only in some older Regions; prefer https://s3.us-west-2.amazonaws.com"]}, endpointRegion: "us-west-2" },
  { name: "global", input: "https://s3.amazonaws.com", value: {"url":"https://s3.amazonaws.com","scheme":"https","host":"s3.amazonaws.com","kind":"aws","form":"global","region":null,"partition":"aws","ipHost":false,"notes":["s3.amazonaws.com is the legacy global endpoint: it serves us-east-1 and redirects or refuses requests for buckets in other Regions; prefer https://s3.REGION.amazonaws.com with the bucket's Region"]}, endpointRegion: "us-east-1" },
  { name: "external-1", input: "https://s3-external-1.amazonaws.com", value: {"url":"https://s3-external-1.amazonaws.com","scheme":"https","host":"s3-external-1.amazonaws.com","kind":"aws","form":"external-1","region":"us-east-1","partition":"aws","ipHost":false,"notes":["s3-external-1.amazonaws.com is a legacy endpoint that serves us-east-1; prefer https://s3.us-east-1.amazonaws.com"]}, endpointRegion: "us-east-1" },
  { name: "dual-stack", input: "https://s3.dualstack.eu-west-1.amazonaws.com", value: {"url":"https://s3.dualstack.eu-west-1.amazonaws.com","scheme":"https","host":"s3.dualstack.eu-west-1.amazonaws.com","kind":"aws","form":"dualstack","region":"eu-west-1","partition":"aws","ipHost":false,"notes":[]}, endpointRegion: "eu-west-1" },
  { name: "FIPS", input: "https://s3-fips.us-east-2.amazonaws.com", value: {"url":"https://s3-fips.us-east-2.amazonaws.com","scheme":"https","host":"s3-fips.us-east-2.amazonaws.com","kind":"aws","form":"fips","region":"us-east-2","partition":"aws","ipHost":false,"notes":[]}, endpointRegion: "us-east-2" },
  { name: "FIPS dual-stack", input: "https://s3-fips.dualstack.us-east-2.amazonaws.com", value: {"url":"https://s3-fips.dualstack.us-east-2.amazonaws.com","scheme":"https","host":"s3-fips.dualstack.us-east-2.amazonaws.com","kind":"aws","form":"fips-dualstack","region":"us-east-2","partition":"aws","ipHost":false,"notes":[]}, endpointRegion: "us-east-2" },
  { name: "China", input: "https://s3.cn-north-1.amazonaws.com.cn", value: {"url":"https://s3.cn-north-1.amazonaws.com.cn","scheme":"https","host":"s3.cn-north-1.amazonaws.com.cn","kind":"aws","form":"china","region":"cn-north-1","partition":"aws-cn","ipHost":false,"notes":[]}, endpointRegion: "cn-north-1" },
  { name: "China dual-stack", input: "https://s3.dualstack.cn-northwest-1.amazonaws.com.cn", value: {"url":"https://s3.dualstack.cn-northwest-1.amazonaws.com.cn","scheme":"https","host":"s3.dualstack.cn-northwest-1.amazonaws.com.cn","kind":"aws","form":"dualstack","region":"cn-northwest-1","partition":"aws-cn","ipHost":false,"notes":[]}, endpointRegion: "cn-northwest-1" },
  { name: "GovCloud", input: "https://s3.us-gov-west-1.amazonaws.com", value: {"url":"https://s3.us-gov-west-1.amazonaws.com","scheme":"https","host":"s3.us-gov-west-1.amazonaws.com","kind":"aws","form":"govcloud","region":"us-gov-west-1","partition":"aws-us-gov","ipHost":false,"notes":[]}, endpointRegion: "us-gov-west-1" },
  { name: "GovCloud FIPS", input: "https://s3-fips.us-gov-west-1.amazonaws.com", value: {"url":"https://s3-fips.us-gov-west-1.amazonaws.com","scheme":"https","host":"s3-fips.us-gov-west-1.amazonaws.com","kind":"aws","form":"fips","region":"us-gov-west-1","partition":"aws-us-gov","ipHost":false,"notes":[]}, endpointRegion: "us-gov-west-1" },
  { name: "GovCloud legacy FIPS spelling", input: "https://s3-fips-us-gov-west-1.amazonaws.com", value: {"url":"https://s3-fips-us-gov-west-1.amazonaws.com","scheme":"https","host":"s3-fips-us-gov-west-1.amazonaws.com","kind":"aws","form":"fips","region":"us-gov-west-1","partition":"aws-us-gov","ipHost":false,"notes":["s3-fips-us-gov-west-1.amazonaws.com is the legacy spelling of the FIPS endpoint; prefer https://s3-fips.us-gov-west-1.amazonaws.com"]}, endpointRegion: "us-gov-west-1" },
  { name: "GovCloud legacy dash", input: "https://s3-us-gov-east-1.amazonaws.com", value: {"url":"https://s3-us-gov-east-1.amazonaws.com","scheme":"https","host":"s3-us-gov-east-1.amazonaws.com","kind":"aws","form":"legacy-dash","region":"us-gov-east-1","partition":"aws-us-gov","ipHost":false,"notes":["s3-us-gov-east-1.amazonaws.com is the legacy s3-REGION form, served only in some older Regions; prefer https://s3.us-gov-east-1.amazonaws.com"]}, endpointRegion: "us-gov-east-1" },
  { name: "European Sovereign Cloud", input: "https://s3.eusc-de-east-1.amazonaws.eu", value: {"url":"https://s3.eusc-de-east-1.amazonaws.eu","scheme":"https","host":"s3.eusc-de-east-1.amazonaws.eu","kind":"aws","form":"regional","region":"eusc-de-east-1","partition":"aws-eusc","ipHost":false,"notes":[]}, endpointRegion: "eusc-de-east-1" },
  { name: "VPC interface endpoint", input: "https://bucket.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com", value: {"url":"https://bucket.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com","scheme":"https","host":"bucket.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com","kind":"aws","form":"vpce","region":"us-east-1","partition":"aws","ipHost":false,"notes":["VPC interface endpoint: reachable only from networks routed to that VPC, so GHES must be able to resolve and reach it"]}, endpointRegion: "us-east-1" },
  { name: "VPC interface endpoint, zonal name", input: "https://bucket.vpce-0abc123-xyz-us-east-1a.s3.us-east-1.vpce.amazonaws.com", value: {"url":"https://bucket.vpce-0abc123-xyz-us-east-1a.s3.us-east-1.vpce.amazonaws.com","scheme":"https","host":"bucket.vpce-0abc123-xyz-us-east-1a.s3.us-east-1.vpce.amazonaws.com","kind":"aws","form":"vpce","region":"us-east-1","partition":"aws","ipHost":false,"notes":["VPC interface endpoint: reachable only from networks routed to that VPC, so GHES must be able to resolve and reach it"]}, endpointRegion: "us-east-1" },
  { name: "VPC interface endpoint, China", input: "https://bucket.vpce-1a2b3c4d-5e6f.s3.cn-north-1.vpce.amazonaws.com.cn", value: {"url":"https://bucket.vpce-1a2b3c4d-5e6f.s3.cn-north-1.vpce.amazonaws.com.cn","scheme":"https","host":"bucket.vpce-1a2b3c4d-5e6f.s3.cn-north-1.vpce.amazonaws.com.cn","kind":"aws","form":"vpce","region":"cn-north-1","partition":"aws-cn","ipHost":false,"notes":["VPC interface endpoint: reachable only from networks routed to that VPC, so GHES must be able to resolve and reach it"]}, endpointRegion: "cn-north-1" },
  { name: "trailing slash", input: "https://s3.us-west-2.amazonaws.com/", value: {"url":"https://s3.us-west-2.amazonaws.com","scheme":"https","host":"s3.us-west-2.amazonaws.com","kind":"aws","form":"regional","region":"us-west-2","partition":"aws","ipHost":false,"notes":[]}, endpointRegion: "us-west-2" },
  { name: "upper-case scheme and host", input: "HTTPS://S3.US-WEST-2.AMAZONAWS.COM/", value: {"url":"https://s3.us-west-2.amazonaws.com","scheme":"https","host":"s3.us-west-2.amazonaws.com","kind":"aws","form":"regional","region":"us-west-2","partition":"aws","ipHost":false,"notes":[]}, endpointRegion: "us-west-2" },
  { name: "explicit port 443 on AWS host", input: "https://s3.us-east-1.amazonaws.com:443", value: {"url":"https://s3.us-east-1.amazonaws.com","scheme":"https","host":"s3.us-east-1.amazonaws.com","kind":"aws","form":"regional","region":"us-east-1","partition":"aws","ipHost":false,"notes":[]}, endpointRegion: "us-east-1" },
  { name: "surrounding whitespace", input: "  https://s3.us-east-1.amazonaws.com\n", value: {"url":"https://s3.us-east-1.amazonaws.com","scheme":"https","host":"s3.us-east-1.amazonaws.com","kind":"aws","form":"regional","region":"us-east-1","partition":"aws","ipHost":false,"notes":["whitespace around the service URL was removed"]}, endpointRegion: "us-east-1" },
  { name: "http on AWS host (judged by a check)", input: "http://s3.us-east-1.amazonaws.com", value: {"url":"http://s3.us-east-1.amazonaws.com","scheme":"http","host":"s3.us-east-1.amazonaws.com","kind":"aws","form":"regional","region":"us-east-1","partition":"aws","ipHost":false,"notes":["uses http, not https: requests and package contents would cross the network unencrypted"]}, endpointRegion: "us-east-1" },
  { name: "MinIO with port", input: "https://minio.example.internal:9000", value: {"url":"https://minio.example.internal:9000","scheme":"https","host":"minio.example.internal","port":9000,"kind":"s3-compatible","form":"custom","region":null,"ipHost":false,"notes":["not an AWS host: treated as an S3-compatible store (e.g. MinIO); AWS-only checks do not apply"]}, endpointRegion: null },
  { name: "MinIO over http on an IP", input: "http://10.0.0.5:9000", value: {"url":"http://10.0.0.5:9000","scheme":"http","host":"10.0.0.5","port":9000,"kind":"s3-compatible","form":"custom","region":null,"ipHost":true,"notes":["uses http, not https: requests and package contents would cross the network unencrypted","not an AWS host: treated as an S3-compatible store (e.g. MinIO); AWS-only checks do not apply","the host is an IP address: if it belongs to an AWS interface endpoint, use the endpoint DNS name (bucket.vpce-….s3.REGION.vpce.amazonaws.com) so the AWS checks run"]}, endpointRegion: null },
  { name: "IP host on https", input: "https://10.0.0.5", value: {"url":"https://10.0.0.5","scheme":"https","host":"10.0.0.5","kind":"s3-compatible","form":"custom","region":null,"ipHost":true,"notes":["not an AWS host: treated as an S3-compatible store (e.g. MinIO); AWS-only checks do not apply","the host is an IP address: if it belongs to an AWS interface endpoint, use the endpoint DNS name (bucket.vpce-….s3.REGION.vpce.amazonaws.com) so the AWS checks run","https to an IP address needs a server certificate that lists that IP address"]}, endpointRegion: null },
  { name: "IPv6 host", input: "https://[fd00::5]:9000/", value: {"url":"https://[fd00::5]:9000","scheme":"https","host":"[fd00::5]","port":9000,"kind":"s3-compatible","form":"custom","region":null,"ipHost":true,"notes":["not an AWS host: treated as an S3-compatible store (e.g. MinIO); AWS-only checks do not apply","the host is an IP address: if it belongs to an AWS interface endpoint, use the endpoint DNS name (bucket.vpce-….s3.REGION.vpce.amazonaws.com) so the AWS checks run","https to an IP address needs a server certificate that lists that IP address"]}, endpointRegion: null },
  { name: "localhost emulator", input: "http://localhost:5000", value: {"url":"http://localhost:5000","scheme":"http","host":"localhost","port":5000,"kind":"s3-compatible","form":"custom","region":null,"ipHost":false,"notes":["uses http, not https: requests and package contents would cross the network unencrypted","not an AWS host: treated as an S3-compatible store (e.g. MinIO); AWS-only checks do not apply"]}, endpointRegion: null },
  { name: "empty", input: "", problem: "is empty; give the GHES \"AWS Service URL\", e.g. https://s3.us-west-2.amazonaws.com" },
  { name: "whitespace only", input: "   \t", problem: "is blank; give the GHES \"AWS Service URL\", e.g. https://s3.us-west-2.amazonaws.com" },
  { name: "no scheme", input: "s3.us-west-2.amazonaws.com", problem: "must be an absolute URL with a scheme ('s3.us-west-2.amazonaws.com' has none); use https://s3.us-west-2.amazonaws.com" },
  { name: "host:port without scheme", input: "minio.example.internal:9000", problem: "must be an absolute URL with a scheme ('minio.example.internal:9000' has none); use https://minio.example.internal:9000" },
  { name: "ftp scheme", input: "ftp://s3.us-west-2.amazonaws.com", problem: "must use https:// ('ftp://s3.us-west-2.amazonaws.com' uses ftp:); use https://s3.us-west-2.amazonaws.com" },
  { name: "s3 bucket URI", input: "s3://my-bucket", problem: "must be the S3 endpoint, not an s3:// bucket URI ('s3://my-bucket'); give the bucket name as the bucket and use e.g. https://s3.us-west-2.amazonaws.com" },
  { name: "scheme without //", input: "https:s3.us-west-2.amazonaws.com", problem: "must have '//' after 'https:' ('https:s3.us-west-2.amazonaws.com'); use https://s3.us-west-2.amazonaws.com" },
  { name: "scheme only", input: "https://", problem: "has no host name ('https://'); use e.g. https://s3.us-west-2.amazonaws.com" },
  { name: "inner space", input: "https://s3.us-west-2 .amazonaws.com", problem: "must not contain spaces, control characters or backslashes ('https://s3.us-west-2 .amazonaws.com'); give a URL such as https://s3.us-west-2.amazonaws.com" },
  { name: "backslash", input: "https:\\\\s3.us-west-2.amazonaws.com", problem: "must not contain spaces, control characters or backslashes ('https:\\\\s3.us-west-2.amazonaws.com'); give a URL such as https://s3.us-west-2.amazonaws.com" },
  { name: "bucket virtual-hosted in regional host", input: "https://my-bucket.s3.us-west-2.amazonaws.com", problem: "must not contain the bucket name (found 'my-bucket' in the host); use https://s3.us-west-2.amazonaws.com" },
  { name: "bucket virtual-hosted in global host", input: "https://my-bucket.s3.amazonaws.com", problem: "must not contain the bucket name (found 'my-bucket' in the host); use https://s3.amazonaws.com" },
  { name: "dotted bucket in dual-stack host", input: "https://my.bucket.s3.dualstack.eu-west-1.amazonaws.com", problem: "must not contain the bucket name (found 'my.bucket' in the host); use https://s3.dualstack.eu-west-1.amazonaws.com" },
  { name: "bucket in legacy dash host", input: "https://my-bucket.s3-us-west-2.amazonaws.com", problem: "must not contain the bucket name (found 'my-bucket' in the host); use https://s3-us-west-2.amazonaws.com" },
  { name: "bucket in VPC endpoint host", input: "https://my-bucket.bucket.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com", problem: "must not contain the bucket name (found 'my-bucket' in the host); use https://bucket.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com" },
  { name: "VPC endpoint without bucket. label", input: "https://vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com", problem: "must start with the literal label 'bucket.' for an S3 interface endpoint ('vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com'); use https://bucket.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com" },
  { name: "VPC endpoint access point name", input: "https://accesspoint.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com", problem: "is the access point name of an S3 interface endpoint; GHES addresses the bucket by name, so use https://bucket.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com" },
  { name: "VPC endpoint of another service", input: "https://vpce-1a2b3c4d-5e6f.ec2.us-east-1.vpce.amazonaws.com", problem: "is an interface endpoint for 'ec2', not for S3 ('vpce-1a2b3c4d-5e6f.ec2.us-east-1.vpce.amazonaws.com'); use the S3 interface endpoint, e.g. https://bucket.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com" },
  { name: "path-style bucket", input: "https://s3.us-west-2.amazonaws.com/my-bucket", problem: "must not contain the bucket name (found '/my-bucket', a path-style bucket name, in the path); remove it, give the bucket name separately and use https://s3.us-west-2.amazonaws.com" },
  { name: "path-style bucket with slash", input: "https://s3.us-west-2.amazonaws.com/my-bucket/", problem: "must not contain the bucket name (found '/my-bucket/', a path-style bucket name, in the path); remove it, give the bucket name separately and use https://s3.us-west-2.amazonaws.com" },
  { name: "other path", input: "https://s3.us-west-2.amazonaws.com/a/b", problem: "must not have a path (found '/a/b'); remove it and use https://s3.us-west-2.amazonaws.com" },
  { name: "path on MinIO", input: "http://10.0.0.5:9000/packages/", problem: "must not contain the bucket name (found '/packages/', a path-style bucket name, in the path); remove it, give the bucket name separately and use http://10.0.0.5:9000" },
  { name: "double slash path", input: "https://s3.us-west-2.amazonaws.com//", problem: "must not have a path (found '//'); remove it and use https://s3.us-west-2.amazonaws.com" },
  { name: "port 9000 on AWS host", input: "https://s3.us-east-1.amazonaws.com:9000", problem: "must not name port 9000 on an AWS endpoint ('s3.us-east-1.amazonaws.com' serves https on 443); use https://s3.us-east-1.amazonaws.com" },
  { name: "http with port 443 on AWS host", input: "http://s3.us-east-1.amazonaws.com:443", problem: "must not name port 443 on an AWS endpoint ('s3.us-east-1.amazonaws.com' serves http on 80 and https on 443); use https://s3.us-east-1.amazonaws.com" },
  { name: "invalid port", input: "https://minio.example.internal:99999", problem: "has an invalid port '99999'; a port is a number from 1 to 65535, e.g. https://minio.example.internal:9000" },
  { name: "query", input: "https://s3.us-east-1.amazonaws.com/?versioning", problem: "must not have a query string ('?versioning'); remove everything from '?' and use https://s3.us-east-1.amazonaws.com" },
  { name: "empty query", input: "https://s3.us-east-1.amazonaws.com?", problem: "must not have a query string ('?'); remove everything from '?' and use https://s3.us-east-1.amazonaws.com" },
  { name: "fragment", input: "https://s3.us-east-1.amazonaws.com#top", problem: "must not have a fragment ('#top'); remove everything from '#' and use https://s3.us-east-1.amazonaws.com" },
  { name: "userinfo", input: "https://AKIAEXAMPLE:secret@s3.us-east-1.amazonaws.com", problem: "must not contain a user name or password before '@'; remove it (the access key and secret key are separate GHES settings) and use https://s3.us-east-1.amazonaws.com" },
  { name: "credentials with another scheme are not echoed", input: "ftp://AKIAEXAMPLE:secret@s3.us-west-2.amazonaws.com", problem: "must not contain a user name or password before '@'; remove it (the access key and secret key are separate GHES settings) and use https://s3.us-west-2.amazonaws.com" },
  { name: "presigned URL: query values are masked", input: "https://s3.us-east-1.amazonaws.com/?X-Amz-Credential=AKIAEXAMPLE&X-Amz-Signature=secret", problem: "must not have a query string ('?X-Amz-Credential=…&X-Amz-Signature=…'); remove everything from '?' and use https://s3.us-east-1.amazonaws.com" },
  { name: "unicode host", input: "https://s3.us-west-2.amazonaws.comé", problem: "must have an ASCII host name ('s3.us-west-2.amazonaws.comé' has non-ASCII characters); S3 endpoints are plain DNS names, e.g. https://s3.us-west-2.amazonaws.com" },
  { name: "unicode host (fullwidth)", input: "https://ｓ３.us-west-2.amazonaws.com", problem: "must have an ASCII host name ('ｓ３.us-west-2.amazonaws.com' has non-ASCII characters); S3 endpoints are plain DNS names, e.g. https://s3.us-west-2.amazonaws.com" },
  { name: "punycode host", input: "https://xn--minio-9ra.example.com", problem: "must not have an internationalised (punycode 'xn--minio-9ra') host name; S3 endpoints are plain ASCII names, e.g. https://s3.us-west-2.amazonaws.com" },
  { name: "trailing dot", input: "https://s3.us-east-1.amazonaws.com.", problem: "must not end the host name with a dot ('s3.us-east-1.amazonaws.com.'); use https://s3.us-east-1.amazonaws.com" },
  { name: "unknown region", input: "https://s3.us-east-99.amazonaws.com", problem: "names an unknown AWS Region 'us-east-99' (host 's3.us-east-99.amazonaws.com'); use the endpoint of the bucket's Region, e.g. https://s3.us-west-2.amazonaws.com" },
  { name: "unknown region, dash form", input: "https://s3-us-east-99.amazonaws.com", problem: "names an unknown AWS Region 'us-east-99' (host 's3-us-east-99.amazonaws.com'); use the endpoint of the bucket's Region, e.g. https://s3.us-west-2.amazonaws.com" },
  { name: "non-S3 AWS service", input: "https://ec2.us-east-1.amazonaws.com", problem: "is not an S3 endpoint ('ec2.us-east-1.amazonaws.com' is AWS service 'ec2'); use the S3 endpoint of the bucket's Region, e.g. https://s3.us-west-2.amazonaws.com" },
  { name: "non-S3 global service", input: "https://sqs.amazonaws.com", problem: "is not an S3 endpoint ('sqs.amazonaws.com' is AWS service 'sqs'); use the S3 endpoint of the bucket's Region, e.g. https://s3.us-west-2.amazonaws.com" },
  { name: "bare amazonaws.com", input: "https://amazonaws.com", problem: "is not an S3 endpoint ('amazonaws.com'); use the S3 endpoint of the bucket's Region, e.g. https://s3.us-west-2.amazonaws.com" },
  { name: "China region with .com suffix", input: "https://s3.cn-north-1.amazonaws.com", problem: "must end in amazonaws.com.cn for Region cn-north-1 (partition aws-cn), not amazonaws.com; use https://s3.cn-north-1.amazonaws.com.cn" },
  { name: "commercial region with .cn suffix", input: "https://s3.us-east-1.amazonaws.com.cn", problem: "must end in amazonaws.com for Region us-east-1 (partition aws), not amazonaws.com.cn; use https://s3.us-east-1.amazonaws.com" },
  { name: "no global endpoint in China", input: "https://s3.amazonaws.com.cn", problem: "names a global S3 endpoint, which exists only in the aws partition ('s3.amazonaws.com.cn'); use the Regional endpoint, e.g. https://s3.cn-northwest-1.amazonaws.com.cn" },
  { name: "no legacy dash form in China", input: "https://s3-cn-north-1.amazonaws.com.cn", problem: "uses the legacy s3-REGION form, which partition aws-cn does not serve ('s3-cn-north-1.amazonaws.com.cn'); use https://s3.cn-north-1.amazonaws.com.cn" },
  { name: "S3 Control", input: "https://123456789012.s3-control.us-east-1.amazonaws.com", problem: "is the S3 Control endpoint (account-level API), not the bucket endpoint ('123456789012.s3-control.us-east-1.amazonaws.com'); use the Regional endpoint of the bucket's Region, e.g. https://s3.us-west-2.amazonaws.com" },
  { name: "website endpoint (dash)", input: "https://my-bucket.s3-website-us-east-1.amazonaws.com", problem: "is an S3 static website endpoint, which serves only public GET requests ('my-bucket.s3-website-us-east-1.amazonaws.com'); use the Regional endpoint of the bucket's Region, e.g. https://s3.us-west-2.amazonaws.com" },
  { name: "website endpoint (dot)", input: "https://my-bucket.s3-website.eu-central-1.amazonaws.com", problem: "is an S3 static website endpoint, which serves only public GET requests ('my-bucket.s3-website.eu-central-1.amazonaws.com'); use the Regional endpoint of the bucket's Region, e.g. https://s3.us-west-2.amazonaws.com" },
  { name: "access point", input: "https://ap-123456789012.s3-accesspoint.us-east-1.amazonaws.com", problem: "is an S3 access point endpoint, but GHES addresses the bucket by name ('ap-123456789012.s3-accesspoint.us-east-1.amazonaws.com'); use the Regional endpoint of the bucket's Region, e.g. https://s3.us-west-2.amazonaws.com" },
  { name: "Transfer Acceleration", input: "https://s3-accelerate.amazonaws.com", problem: "is the S3 Transfer Acceleration endpoint, which takes the bucket only in the host name ('s3-accelerate.amazonaws.com'); use the Regional endpoint of the bucket's Region, e.g. https://s3.us-west-2.amazonaws.com" },
  { name: "S3 Express zonal", input: "https://s3express-use1-az4.us-east-1.amazonaws.com", problem: "is an S3 Express One Zone endpoint for directory buckets, but GHES needs a general purpose bucket ('s3express-use1-az4.us-east-1.amazonaws.com'); use the Regional endpoint of the bucket's Region, e.g. https://s3.us-west-2.amazonaws.com" },
  { name: "dualstack without region", input: "https://s3.dualstack.amazonaws.com", problem: "is not a recognised S3 endpoint form ('s3.dualstack.amazonaws.com'); use the S3 endpoint of the bucket's Region, e.g. https://s3.us-west-2.amazonaws.com" },
  { name: "api.aws domain", input: "https://s3.us-east-1.api.aws", problem: "is not an S3 endpoint ('s3.us-east-1.api.aws' is in AWS's api.aws domain, where S3 has no documented endpoint); for dual-stack use e.g. https://s3.dualstack.us-west-2.amazonaws.com" },
];

describe('parseServiceUrl', () => {
  for (const row of rows) {
    test(row.name, () => {
      const got = parseServiceUrl(row.input);
      if ('problem' in row) {
        assert.deepEqual(got, { ok: false, problem: row.problem });
      } else {
        assert.deepEqual(got, { ok: true, value: row.value });
        assert.equal(regionOfEndpoint(row.value), row.endpointRegion);
      }
    });
  }

  test('the table has at least 40 rows and covers every form', () => {
    assert.ok(rows.length >= 40, `only ${rows.length} rows`);
    const forms: EndpointForm[] = ['regional', 'legacy-dash', 'global', 'external-1', 'dualstack', 'fips', 'fips-dualstack', 'china', 'govcloud', 'vpce', 'custom'];
    const covered = new Set(rows.flatMap((r) => ('value' in r ? [r.value.form] : [])));
    assert.deepEqual(forms.filter((f) => !covered.has(f)), []);
  });

  test('every problem is one line that reads after the field name and names a fix', () => {
    for (const row of rows) {
      if (!('problem' in row)) continue;
      assert.match(row.problem, /^(is|has|must|names|uses) /, row.name);
      assert.doesNotMatch(row.problem, /\n|\.\s+[A-Z]/, row.name);
      assert.match(row.problem, /; /, `${row.name}: no fix after ';'`);
    }
  });

  test('no problem sentence repeats a password or a query value', () => {
    for (const row of rows) {
      if ('problem' in row && /secret/.test(row.input)) assert.doesNotMatch(row.problem, /[:=]secret|AKIAEXAMPLE/, row.name);
    }
  });

  test('the normalised URL parses back to the same endpoint', () => {
    for (const row of rows) {
      if (!('value' in row)) continue;
      const again = parseServiceUrl(row.value.url);
      assert.equal(again.ok, true, row.name);
      if (again.ok) {
        assert.deepEqual(
          { ...again.value, notes: again.value.notes.filter((n) => !n.startsWith('whitespace')) },
          { ...row.value, notes: row.value.notes.filter((n) => !n.startsWith('whitespace')) },
          row.name,
        );
      }
    }
  });
});

describe('regionOfEndpoint', () => {
  const base: ServiceEndpoint = { url: 'https://s3.eu-west-1.amazonaws.com', scheme: 'https', host: 's3.eu-west-1.amazonaws.com', kind: 'aws', form: 'regional', region: 'eu-west-1', partition: 'aws', ipHost: false, notes: [] };
  const cases: Array<[string, ServiceEndpoint, string | null]> = [
    ['regional endpoint: its region', base, 'eu-west-1'],
    ['global endpoint: us-east-1', { ...base, form: 'global', region: null }, 'us-east-1'],
    ['external-1: us-east-1 even if region were unset', { ...base, form: 'external-1', region: null }, 'us-east-1'],
    ['S3-compatible store: null even with a region set', { ...base, kind: 's3-compatible', form: 'custom', region: 'eu-west-1' }, null],
  ];
  for (const [name, endpoint, expected] of cases) test(name, () => assert.equal(regionOfEndpoint(endpoint), expected));
});

describe('regions', () => {
  const lookups: Array<[string, boolean, string | null, string | null]> = [
    // region, isKnownRegion, partitionOf, dnsSuffixOf
    ['us-east-1', true, 'aws', 'amazonaws.com'],
    ['eu-west-1', true, 'aws', 'amazonaws.com'],
    ['cn-north-1', true, 'aws-cn', 'amazonaws.com.cn'],
    ['cn-northwest-1', true, 'aws-cn', 'amazonaws.com.cn'],
    ['us-gov-west-1', true, 'aws-us-gov', 'amazonaws.com'],
    ['us-gov-east-1', true, 'aws-us-gov', 'amazonaws.com'],
    ['us-iso-east-1', true, 'aws-iso', 'c2s.ic.gov'],
    ['us-isob-east-1', true, 'aws-iso-b', 'sc2s.sgov.gov'],
    ['eusc-de-east-1', true, 'aws-eusc', 'amazonaws.eu'],
    ['US-EAST-1', false, null, null],
    ['us-east-99', false, null, null],
    ['aws-global', false, null, null],
    ['', false, null, null],
  ];
  for (const [region, known, partition, suffix] of lookups) {
    test(`${region || '(empty)'}: known=${known}, partition=${partition}, suffix=${suffix}`, () => {
      assert.equal(isKnownRegion(region), known);
      assert.equal(partitionOf(region), partition);
      assert.equal(dnsSuffixOf(region), suffix);
    });
  }

  test('every region is listed once, with its partition\'s DNS suffix', () => {
    const names = KNOWN_REGIONS.map((r) => r.region);
    assert.equal(new Set(names).size, names.length);
    for (const r of KNOWN_REGIONS) assert.equal(r.dnsSuffix, PARTITIONS[r.partition].dnsSuffix, r.region);
  });

  test('regions match the SDK\'s partition data', (t) => {
    // The list is copied from @aws-sdk/core (see src/regions.ts); this catches drift on upgrades.
    const require = createRequire(import.meta.url);
    let file: string;
    try {
      file = join(dirname(require.resolve('@aws-sdk/core/package.json')), 'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js');
    } catch {
      return t.skip('@aws-sdk/core is not installed');
    }
    if (!existsSync(file)) return t.skip(`the SDK moved its partition data (${file} not found); re-check src/regions.ts by hand`);
    const text = readFileSync(file, 'utf8').replace(/^export const partitionsInfo = /, '').replace(/;\s*$/, '');
    const sdk = JSON.parse(text) as { partitions: Array<{ id: string; outputs: { dnsSuffix: string; dualStackDnsSuffix: string; implicitGlobalRegion: string }; regions: Record<string, unknown> }> };
    const sdkRegions = sdk.partitions.flatMap((p) => Object.keys(p.regions).filter((r) => !r.endsWith('-global')).map((r) => `${r} ${p.id}`)).sort();
    assert.deepEqual(KNOWN_REGIONS.map((r) => `${r.region} ${r.partition}`).sort(), sdkRegions);
    const sdkPartitions = Object.fromEntries(sdk.partitions.map((p) => [p.id, { id: p.id, dnsSuffix: p.outputs.dnsSuffix, dualStackDnsSuffix: p.outputs.dualStackDnsSuffix, implicitGlobalRegion: p.outputs.implicitGlobalRegion }]));
    assert.deepEqual({ ...PARTITIONS }, sdkPartitions);
  });
});

// Linear time on the worst shapes is measured in `npm run bench` (a ratio in one run), not timed here.
describe('parseServiceUrl: bounded (issue 14 item 17)', () => {
  test('a value longer than MAX_SERVICE_URL_LENGTH is refused before any parsing', () => {
    for (const value of [`https://${'a'.repeat(160_000)}`, 'x'.repeat(MAX_SERVICE_URL_LENGTH + 1)]) {
      const r = parseServiceUrl(value);
      assert.ok(!r.ok && r.problem.startsWith(`is ${value.length} characters long`), JSON.stringify(r).slice(0, 200));
    }
  });
  test('the worst shapes under the bound are parsed to a verdict (the shapes that made old masking regexes quadratic)', () => {
    const shapes = [(n: number) => 'x'.repeat(n), (n: number) => `https://s3.us-east-1.amazonaws.com/${'?'.repeat(n)}`, (n: number) => `https://${'a.'.repeat(n / 2)}amazonaws.com`, (n: number) => `${'a:'.repeat(n / 2)}@`];
    for (const shape of shapes) {
      const r = parseServiceUrl(shape(MAX_SERVICE_URL_LENGTH - 64));
      assert.equal(typeof r.ok, 'boolean', 'a verdict, not a throw');
    }
  });
  test('problems quote the value masked: no user info, no query values', () => {
    const r = parseServiceUrl('https://s3.us-east-1.amazonaws.com/?X-Amz-Signature=abc123&X-Amz-Credential=AKIA#frag');
    assert.ok(!r.ok && !r.problem.includes('abc123') && !r.problem.includes('AKIA'), JSON.stringify(r));
    assert.equal(displayServiceUrl('https://user:pa55@host/x?a=1'), 'https://…@host/x?a=…');
    assert.equal(displayServiceUrl('y'.repeat(300)), '(300 characters, not shown)');
  });
});
