import leastPrivilege from '../../../checks/ghes-s3/least-privilege.ts';
import { FactError } from '../../../src/engine/fact-error.ts';
import { checkTable, deniedFact } from '../check-table.ts';

const user = { arn: 'arn:aws:iam::123456789012:user/ghes', kind: 'user', name: 'ghes', accountId: '123456789012' };
const simulatorDown = new FactError({ fact: 'simulation', api: 'iam:SimulatePrincipalPolicy', code: 'InternalError', httpStatus: 500, message: '' });
const withPolicy = (doc: object) => ({ principal: user, bucketPolicy: { present: false }, bucketOwnedBy: 'yes', simulatePrincipalPolicy: simulatorDown, principalPolicies: { identity: [{ kind: 'user-inline', name: 'p', document: doc }], via: 'GetAccountAuthorizationDetails' } });
const exact = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:ListBucket', 's3:ListBucketMultipartUploads'], Resource: 'arn:aws:s3:::ghes-packages' }, { Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'], Resource: 'arn:aws:s3:::ghes-packages/*' }] };

checkTable(leastPrivilege, [
  { name: 'exact GHES policy is minimal', facts: withPolicy(exact), expect: { status: 'pass', messageId: 'minimal' } },
  { name: 's3:* on * warns', facts: withPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }), expect: { status: 'warn', messageId: 'broad', message: 'delete the Packages bucket' } },
  { name: 'GetObject on every bucket warns', facts: withPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::*/*' }] }), expect: { status: 'warn', message: 'read objects in any bucket' } },
  { name: 'access to the Actions bucket warns', target: { actionsBucket: 'ghes-actions' }, facts: withPolicy({ Version: '2012-10-17', Statement: [...exact.Statement, { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::ghes-actions/*' }] }), expect: { status: 'warn', message: 'write the Actions bucket ghes-actions' } },
  { name: 'policies unreadable: error', facts: { ...withPolicy(exact), principalPolicies: deniedFact('principalPolicies', 'iam:GetAccountAuthorizationDetails') }, expect: { status: 'error' } },
]);
