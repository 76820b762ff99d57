// The ghes-s3 pack: every check listed explicitly (nothing is discovered at run time).
// Adding a check = one file + one line here; test/checks/registry.test.ts keeps this honest.

import bucketReachable from './bucket-reachable.ts';
import credentials from './credentials.ts';
import dedicatedBucket from './dedicated-bucket.ts';
import serviceUrl from './service-url.ts';
import type { GhesS3Check } from './context.ts';

export const ghesS3Checks: GhesS3Check[] = [credentials, bucketReachable, serviceUrl, dedicatedBucket];
