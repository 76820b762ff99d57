// Bucket facts kept outside src/aws/s3-facts.ts; S3Facts exposes them as methods
// (intelligentTiering()). Same contract as S3Facts' bucketFact: memoized per bucket in the run's
// FactCache, "not configured" is a value, anything else is a FactError (never a silent empty answer).

import { ListBucketIntelligentTieringConfigurationsCommand } from '@aws-sdk/client-s3';
import type { IntelligentTieringConfig } from '../../checks/ghes-s3/facts.ts';
import { isNotConfigured, toFactError } from './errors.ts';
import type { FactCache } from './fact-cache.ts';
import type { AwsSession } from './session.ts';

export type { IntelligentTieringConfig, LifecycleRule, ReplicationRule, Tag } from '../../checks/ghes-s3/facts.ts';

// The List API answers an empty list when nothing is configured; NoSuchConfiguration is what the
// Get API says for a missing id (kept so an S3-compatible store answering that way is "none").
const NOT_CONFIGURED = new Set(['NoSuchConfiguration']);

/**
 * Every Intelligent-Tiering configuration of the bucket (all pages of
 * ListBucketIntelligentTieringConfigurations; IAM action s3:GetIntelligentTieringConfiguration).
 * These configurations are the only way objects reach the ARCHIVE_ACCESS / DEEP_ARCHIVE_ACCESS
 * tiers, which GetObject cannot read until the object is restored.
 */
export function intelligentTieringArchiveTiers(session: AwsSession, bucket: string, cache: FactCache): Promise<IntelligentTieringConfig[]> {
  const fact = 'intelligentTiering';
  return cache.get(`${fact}:${bucket}`, async () => {
    const configs: IntelligentTieringConfig[] = [];
    try {
      let token: string | undefined;
      do {
        const out = await session.s3().send(new ListBucketIntelligentTieringConfigurationsCommand({ Bucket: bucket, ContinuationToken: token }));
        for (const c of out.IntelligentTieringConfigurationList ?? []) {
          configs.push({
            id: c.Id ?? '',
            status: c.Status ?? 'Enabled',
            filter: c.Filter,
            tierings: (c.Tierings ?? []).map((t) => ({ accessTier: t.AccessTier ?? '', days: t.Days ?? 0 })),
          });
        }
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
    } catch (e) {
      if (isNotConfigured(e, NOT_CONFIGURED)) return [];
      throw toFactError(e, fact, 's3:GetIntelligentTieringConfiguration', `arn:aws:s3:::${bucket}`);
    }
    return configs;
  });
}
