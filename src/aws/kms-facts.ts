// The KMS key policy of the bucket's SSE-KMS key (kms:GetKeyPolicy), for kms-access: whether the
// key policy grants the GHES principal directly, delegates to the account's IAM policies, or
// neither. The checker may well not be allowed to read it (key policies often name only the key
// administrators): that is an error the check turns into "not read, and why", never a pass of the
// key side.

import { GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import type { KeyPolicyFact } from '../../checks/ghes-s3/facts.ts';
import { toFactError } from './errors.ts';
import type { FactCache } from './fact-cache.ts';
import type { AwsSession } from './session.ts';

/** kms:GetKeyPolicy (policy name "default", the only one KMS has), in the key's own region. */
export function readKeyPolicy(session: AwsSession, keyArn: string, cache: FactCache): Promise<KeyPolicyFact> {
  return cache.get(`kmsKeyPolicy:${keyArn}`, async () => {
    const region = keyArn.split(':')[3] || undefined;
    try {
      const out = await session.kms(region).send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }));
      return { keyArn, policy: out.Policy ?? '' };
    } catch (e) {
      throw toFactError(e, 'kmsKeyPolicy', 'kms:GetKeyPolicy', keyArn);
    }
  });
}
