import leastPrivilege from '../../../checks/s3-storage/least-privilege.ts';
import { FactError } from '../../../src/engine/fact-error.ts';
import { ghesUserPolicy } from '../../../src/policy/generate.ts';
import { checkTable, deniedFact } from '../check-table.ts';

const user = { arn: 'arn:aws:iam::123456789012:user/ghes', kind: 'user', name: 'ghes', accountId: '123456789012' };
const simulatorDown = new FactError({ fact: 'simulation', api: 'iam:SimulatePrincipalPolicy', code: 'InternalError', httpStatus: 500, message: '' });
const withPolicy = (doc: object) => ({ principal: user, bucketPolicy: { present: false }, bucketOwnedBy: 'yes', simulatePrincipalPolicy: simulatorDown, principalPolicies: { identity: [{ kind: 'user-inline', name: 'p', document: doc }], via: 'GetAccountAuthorizationDetails' } });
const exact = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:ListBucket', 's3:ListBucketMultipartUploads'], Resource: 'arn:aws:s3:::ghes-packages' }, { Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'], Resource: 'arn:aws:s3:::ghes-packages/*' }] };

const role = { arn: 'arn:aws:iam::123456789012:role/ghes-actions', kind: 'role', name: 'ghes-actions', accountId: '123456789012' };
/** The AWS managed policy's statements (as of 2026: s3:* and s3-object-lambda:* on every resource). */
const S3_FULL_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 's3-object-lambda:*'], Resource: '*' }] };

checkTable(leastPrivilege, [
  { name: 'exact GHES policy is minimal', facts: withPolicy(exact), expect: { status: 'pass', messageId: 'minimal' } },
  { name: 's3:* on * warns', facts: withPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }), expect: { status: 'warn', messageId: 'broad', message: 'delete the Packages bucket' } },
  { name: 'GetObject on every bucket warns', facts: withPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::*/*' }] }), expect: { status: 'warn', message: 'read objects in any bucket' } },
  { name: 'access to the Actions bucket warns', target: { actionsBucket: 'ghes-actions' }, facts: withPolicy({ Version: '2012-10-17', Statement: [...exact.Statement, { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::ghes-actions/*' }] }), expect: { status: 'warn', message: 'write the Actions bucket ghes-actions' } },
  { name: 'access to the Packages bucket from the Actions principal warns', target: { storage: 'actions', bucket: 'ghes-packages', packagesBucket: 'ghes-pkg' }, facts: withPolicy({ Version: '2012-10-17', Statement: [...exact.Statement, { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::ghes-pkg/*' }] }), expect: { status: 'warn', messageId: 'broad', message: 'read the Packages bucket ghes-pkg' } },
  { name: 'actions: exact policy is minimal, naming the Packages bucket', target: { storage: 'actions', bucket: 'ghes-packages', packagesBucket: 'ghes-pkg' }, facts: withPolicy(exact), expect: { status: 'pass', messageId: 'minimal', message: 'or the Packages bucket' } },
  {
    name: 'AmazonS3FullAccess on the OIDC role warns with the policy to use instead',
    target: { storage: 'actions', bucket: 'ghes-actions', roleArn: role.arn, principalArn: role.arn },
    facts: { ...withPolicy(exact), principal: role, principalPolicies: { identity: [{ kind: 'role-managed', name: 'AmazonS3FullAccess', arn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess', document: S3_FULL_ACCESS }], via: 'GetAccountAuthorizationDetails' } },
    expect: { status: 'warn', messageId: 'fullAccess', message: 'AmazonS3FullAccess', evidence: { policyToUse: ghesUserPolicy('ghes-actions', undefined, 'Actions') } },
  },
  { name: 'policies unreadable: error', facts: { ...withPolicy(exact), principalPolicies: deniedFact('principalPolicies', 'iam:GetAccountAuthorizationDetails') }, expect: { status: 'error' } },
]);
