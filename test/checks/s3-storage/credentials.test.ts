import credentials from '../../../checks/s3-storage/credentials.ts';
import { checkTable, deniedFact } from '../check-table.ts';

const user = { arn: 'arn:aws:iam::123456789012:user/ghes-packages', account: '123456789012', userId: 'AIDAEXAMPLE' };

checkTable(credentials, [
  { name: 'IAM user', facts: { callerIdentity: user }, expect: { status: 'pass', subject: 'ghes-packages', messageId: 'ok', evidence: { account: '123456789012', api: 'sts:GetCallerIdentity' } } },
  { name: 'assumed role', facts: { callerIdentity: { ...user, arn: 'arn:aws:sts::123456789012:assumed-role/Auditor/s1' } }, expect: { status: 'pass', messageId: 'ok' } },
  { name: 'root user warns', facts: { callerIdentity: { ...user, arn: 'arn:aws:iam::123456789012:root' } }, expect: { status: 'warn', messageId: 'root' } },
  { name: 'STS denied is an error, never a pass', facts: { callerIdentity: deniedFact('callerIdentity', 'sts:GetCallerIdentity') }, expect: { status: 'error', evidence: { code: 'AccessDenied', requestId: 'TEST-REQ-1' } } },
  { name: 'throttled after retries is an error', facts: { callerIdentity: deniedFact('callerIdentity', 'sts:GetCallerIdentity', 'Throttling') }, expect: { status: 'error', message: 'throttling' } },
]);
