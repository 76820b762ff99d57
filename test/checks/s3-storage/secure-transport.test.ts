import secureTransport from '../../../checks/s3-storage/secure-transport.ts';
import { parsePolicyDocument } from '../../../src/policy/document.ts';
import { checkTable, deniedFact } from '../check-table.ts';

const B = 'ghes-packages';
const policy = (...Statement: object[]) => {
  const text = JSON.stringify({ Version: '2012-10-17', Statement });
  return { present: true, text, parsed: parsePolicyDocument(text) };
};
const tlsDeny = { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${B}`, `arn:aws:s3:::${B}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
const facts = (bucketPolicy: unknown) => ({
  callerIdentity: { arn: 'arn:aws:iam::123456789012:user/auditor', account: '123456789012', userId: 'AIDA' },
  bucketHead: { status: 'found', region: 'us-east-1' },
  bucketPolicy,
});

checkTable(secureTransport, [
  { name: 'Deny on aws:SecureTransport=false for the bucket and its objects', facts: facts(policy(tlsDeny)), expect: { status: 'pass', messageId: 'enforced', message: 'Sid "DenyInsecureTransport"', evidence: { statement: tlsDeny } } },
  { name: 'boolean false written as JSON false', facts: facts(policy({ ...tlsDeny, Condition: { Bool: { 'aws:SecureTransport': false } } })), expect: { status: 'pass', messageId: 'enforced' } },
  { name: 'Deny on Resource "*"', facts: facts(policy({ ...tlsDeny, Resource: '*' })), expect: { status: 'pass' } },
  { name: 'no bucket policy', facts: facts({ present: false }), expect: { status: 'warn', messageId: 'noPolicy', evidence: { suggestedStatement: tlsDeny } } },
  { name: 'policy without a TLS deny', facts: facts(policy({ Sid: 'Ghes', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:user/ghes' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${B}/*` })), expect: { status: 'warn', messageId: 'missing' } },
  { name: 'TLS deny on the objects only', facts: facts(policy({ ...tlsDeny, Resource: `arn:aws:s3:::${B}/*` })), expect: { status: 'warn', messageId: 'partial', message: 'does not cover the bucket itself' } },
  { name: 'TLS deny on PutObject only', facts: facts(policy({ ...tlsDeny, Action: 's3:PutObject' })), expect: { status: 'warn', messageId: 'partial', message: 's3:GetObject' } },
  { name: 'Bool aws:SecureTransport "true" (denies HTTPS instead)', facts: facts(policy({ ...tlsDeny, Condition: { Bool: { 'aws:SecureTransport': 'true' } } })), expect: { status: 'warn', messageId: 'partial' } },
  { name: 'an Allow on SecureTransport=true is not a Deny', facts: facts(policy({ ...tlsDeny, Effect: 'Allow', Condition: { Bool: { 'aws:SecureTransport': 'true' } } })), expect: { status: 'warn', messageId: 'missing' } },
  { name: 'unparseable policy', facts: facts({ present: true, text: 'nope', parsed: parsePolicyDocument('nope') }), expect: { status: 'error', messageId: 'unparseable', evidence: { code: 'MalformedPolicy' } } },
  { name: 'GetBucketPolicy denied', facts: facts(deniedFact('bucketPolicy', 's3:GetBucketPolicy')), expect: { status: 'error', evidence: { code: 'AccessDenied' } } },
]);
