// parsePrincipalArn: one row per case; accepted rows compare the whole value, rejected rows the
// exact problem sentence.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { type PrincipalArn, parsePrincipalArn } from '../../src/config/arn.ts';

const ACCT = '123456789012';
const long65 = 'a'.repeat(65);
const long128 = 'g'.repeat(128);

type Row = { name: string; input: string } & ({ value: PrincipalArn } | { problem: string });

const rows: Row[] = [
  // accepted
  { name: 'user at root path', input: `arn:aws:iam::${ACCT}:user/ghes-packages`, value: { partition: 'aws', account: ACCT, kind: 'user', name: 'ghes-packages', path: '/', arn: `arn:aws:iam::${ACCT}:user/ghes-packages` } },
  { name: 'user with a path', input: `arn:aws:iam::${ACCT}:user/path/name`, value: { partition: 'aws', account: ACCT, kind: 'user', name: 'name', path: '/path/', arn: `arn:aws:iam::${ACCT}:user/path/name` } },
  { name: 'role with service-role path', input: `arn:aws:iam::${ACCT}:role/service-role/name`, value: { partition: 'aws', account: ACCT, kind: 'role', name: 'name', path: '/service-role/', arn: `arn:aws:iam::${ACCT}:role/service-role/name` } },
  {
    name: 'GovCloud role, deep path, every allowed name character',
    input: `arn:aws-us-gov:iam::${ACCT}:role/a/b/c/Name_1+x=y,z.w@v-1`,
    value: { partition: 'aws-us-gov', account: ACCT, kind: 'role', name: 'Name_1+x=y,z.w@v-1', path: '/a/b/c/', arn: `arn:aws-us-gov:iam::${ACCT}:role/a/b/c/Name_1+x=y,z.w@v-1` },
  },
  { name: 'China group', input: `arn:aws-cn:iam::${ACCT}:group/devs`, value: { partition: 'aws-cn', account: ACCT, kind: 'group', name: 'devs', path: '/', arn: `arn:aws-cn:iam::${ACCT}:group/devs` } },
  { name: 'group name of 128 characters', input: `arn:aws:iam::${ACCT}:group/${long128}`, value: { partition: 'aws', account: ACCT, kind: 'group', name: long128, path: '/', arn: `arn:aws:iam::${ACCT}:group/${long128}` } },
  { name: 'root user', input: `arn:aws:iam::${ACCT}:root`, value: { partition: 'aws', account: ACCT, kind: 'root', name: 'root', path: null, arn: `arn:aws:iam::${ACCT}:root` } },
  {
    name: 'assumed-role session',
    input: `arn:aws:sts::${ACCT}:assumed-role/Name/Session`,
    value: { partition: 'aws', account: ACCT, kind: 'assumed-role', name: 'Name', path: null, sessionName: 'Session', arn: `arn:aws:sts::${ACCT}:assumed-role/Name/Session` },
  },
  {
    name: 'IAM Identity Center session with an e-mail session name',
    input: `arn:aws:sts::${ACCT}:assumed-role/AWSReservedSSO_Admin_0123abcd/jane@example.com`,
    value: { partition: 'aws', account: ACCT, kind: 'assumed-role', name: 'AWSReservedSSO_Admin_0123abcd', path: null, sessionName: 'jane@example.com', arn: `arn:aws:sts::${ACCT}:assumed-role/AWSReservedSSO_Admin_0123abcd/jane@example.com` },
  },
  { name: 'federated user', input: `arn:aws:sts::${ACCT}:federated-user/Bob`, value: { partition: 'aws', account: ACCT, kind: 'federated-user', name: 'Bob', path: null, arn: `arn:aws:sts::${ACCT}:federated-user/Bob` } },
  { name: 'surrounding whitespace is trimmed', input: ` arn:aws:iam::${ACCT}:user/ghes \n`, value: { partition: 'aws', account: ACCT, kind: 'user', name: 'ghes', path: '/', arn: `arn:aws:iam::${ACCT}:user/ghes` } },

  // rejected
  { name: 'empty', input: '', problem: 'is empty; give the ARN of the IAM user GHES uses, e.g. arn:aws:iam::123456789012:user/ghes-packages' },
  { name: 'space inside', input: `arn:aws:iam::${ACCT}:user/ ghes`, problem: "must not contain spaces ('arn:aws:iam::123456789012:user/ ghes'); copy the ARN exactly, e.g. arn:aws:iam::123456789012:user/ghes-packages" },
  { name: 'bare user name', input: 'alice', problem: "must be an IAM principal ARN starting with 'arn:' ('alice'); e.g. arn:aws:iam::123456789012:user/ghes-packages" },
  {
    name: 'access key ID instead of ARN',
    input: 'AKIAIOSFODNN7EXAMPLE',
    // The quoted input passes through redactThenCut (as it is shown, masked); the exit masks the hint too.
    problem: "is an access key ID, not an ARN ('AKIA…MPLE'); give the ARN of the key's IAM user, e.g. arn:aws:iam::123456789012:user/ghes-packages (aws iam get-access-key-last-used --access-key-id AKIAIOSFODNN7EXAMPLE names the user)",
  },
  { name: 'account ID instead of ARN', input: ACCT, problem: "is an account ID, not a principal ARN ('123456789012'); give the user or role, e.g. arn:aws:iam::123456789012:user/ghes-packages" },
  { name: 'too few fields', input: `arn:aws:iam::${ACCT}`, problem: "is not a well-formed ARN ('arn:aws:iam::123456789012' has 4 colons, expected 5 as in arn:PARTITION:SERVICE::ACCOUNT:RESOURCE); e.g. arn:aws:iam::123456789012:user/ghes-packages" },
  { name: 'unknown partition', input: `arn:azure:iam::${ACCT}:user/x`, problem: "has an unknown partition 'azure' ('arn:azure:iam::123456789012:user/x'); use one of aws, aws-cn, aws-eusc, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-us-gov, e.g. arn:aws:iam::123456789012:user/ghes-packages" },
  { name: 'S3 bucket ARN', input: 'arn:aws:s3:::ghes-packages', problem: "is an ARN of service 's3', not an IAM principal ('arn:aws:s3:::ghes-packages'); give an iam user or role ARN, e.g. arn:aws:iam::123456789012:user/ghes-packages" },
  { name: 'region filled in', input: `arn:aws:iam:us-east-1:${ACCT}:user/x`, problem: "must have an empty Region field, found 'us-east-1' ('arn:aws:iam:us-east-1:123456789012:user/x'); IAM and STS ARNs look like arn:aws:iam::ACCOUNT:..." },
  { name: 'account of 5 digits', input: 'arn:aws:iam::12345:user/x', problem: "must have a 12-digit account ID (found '12345' in 'arn:aws:iam::12345:user/x'); copy the ARN from the IAM console or from aws sts get-caller-identity" },
  { name: 'account of 13 digits', input: 'arn:aws:iam::1234567890123:user/x', problem: "must have a 12-digit account ID (found '1234567890123' in 'arn:aws:iam::1234567890123:user/x'); copy the ARN from the IAM console or from aws sts get-caller-identity" },
  { name: 'account with letters', input: 'arn:aws:iam::12345678901A:user/x', problem: "must have a 12-digit account ID (found '12345678901A' in 'arn:aws:iam::12345678901A:user/x'); copy the ARN from the IAM console or from aws sts get-caller-identity" },
  { name: 'empty account', input: 'arn:aws:iam:::user/x', problem: "must have a 12-digit account ID (found '' in 'arn:aws:iam:::user/x'); copy the ARN from the IAM console or from aws sts get-caller-identity" },
  { name: 'AWS managed policy', input: 'arn:aws:iam::aws:policy/AdministratorAccess', problem: "is an AWS managed policy ARN, not a principal ('arn:aws:iam::aws:policy/AdministratorAccess'); give the user or role the policy is attached to, e.g. arn:aws:iam::123456789012:user/ghes-packages" },
  { name: 'customer managed policy', input: `arn:aws:iam::${ACCT}:policy/ghes`, problem: "is a managed policy ARN, not a principal ('arn:aws:iam::123456789012:policy/ghes'); give the user or role the policy is attached to" },
  { name: 'instance profile', input: `arn:aws:iam::${ACCT}:instance-profile/ghes`, problem: "is an instance profile ARN ('arn:aws:iam::123456789012:instance-profile/ghes'); give the ARN of the role in that instance profile, arn:aws:iam::123456789012:role/NAME" },
  { name: 'OIDC provider', input: `arn:aws:iam::${ACCT}:oidc-provider/token.actions.githubusercontent.com`, problem: "is an identity provider ARN ('arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com'); give the role that federated identities assume" },
  { name: 'other IAM resource', input: `arn:aws:iam::${ACCT}:mfa/ghes`, problem: "is not an IAM user, role, group or root ARN ('arn:aws:iam::123456789012:mfa/ghes'); e.g. arn:aws:iam::123456789012:user/ghes-packages" },
  { name: 'wildcard user', input: `arn:aws:iam::${ACCT}:user/*`, problem: "must name one principal, not a wildcard pattern ('arn:aws:iam::123456789012:user/*'); give the exact user or role ARN" },
  { name: 'user without name', input: `arn:aws:iam::${ACCT}:user/`, problem: "has no user name after 'user/' ('arn:aws:iam::123456789012:user/'); e.g. arn:aws:iam::123456789012:user/NAME" },
  { name: 'role ending in slash', input: `arn:aws:iam::${ACCT}:role/service-role/`, problem: "has no role name after the path ('arn:aws:iam::123456789012:role/service-role/' ends with '/'); e.g. arn:aws:iam::123456789012:role/service-role/NAME" },
  { name: 'empty path segment', input: `arn:aws:iam::${ACCT}:user//x`, problem: "has an empty path segment ('//') ('arn:aws:iam::123456789012:user//x'); e.g. arn:aws:iam::123456789012:user/NAME" },
  { name: 'user name with a forbidden character', input: `arn:aws:iam::${ACCT}:user/bad!name`, problem: "has a user name 'bad!name' with characters IAM does not allow (only letters, digits and _+=,.@-) in 'arn:aws:iam::123456789012:user/bad!name'; copy the exact ARN from the IAM console" },
  { name: 'user name of 65 characters', input: `arn:aws:iam::${ACCT}:user/${long65}`, problem: `has a user name '${long65}' of 65 characters (IAM allows 1 to 64) in 'arn:aws:iam::123456789012:user/${long65}'; copy the exact ARN from the IAM console` },
  { name: 'assumed-role under iam', input: `arn:aws:iam::${ACCT}:assumed-role/Name/Session`, problem: "must use the sts service for assumed-role ARNs ('arn:aws:iam::123456789012:assumed-role/Name/Session'); write arn:aws:sts::123456789012:assumed-role/Name/Session" },
  { name: 'role under sts', input: `arn:aws:sts::${ACCT}:role/ghes`, problem: "must use the iam service for role ARNs ('arn:aws:sts::123456789012:role/ghes'); write arn:aws:iam::123456789012:role/ghes" },
  { name: 'root under sts', input: `arn:aws:sts::${ACCT}:root`, problem: "must use the iam service for the root user ('arn:aws:sts::123456789012:root'); write arn:aws:iam::123456789012:root" },
  { name: 'assumed-role without session', input: `arn:aws:sts::${ACCT}:assumed-role/Name`, problem: "must have the form assumed-role/ROLE/SESSION ('arn:aws:sts::123456789012:assumed-role/Name'); copy it from aws sts get-caller-identity, e.g. arn:aws:sts::123456789012:assumed-role/ghes-packages/session" },
  { name: 'assumed-role with a role path', input: `arn:aws:sts::${ACCT}:assumed-role/path/Name/Session`, problem: "must have the form assumed-role/ROLE/SESSION ('arn:aws:sts::123456789012:assumed-role/path/Name/Session'); copy it from aws sts get-caller-identity, e.g. arn:aws:sts::123456789012:assumed-role/ghes-packages/session" },
  { name: 'session name of 1 character', input: `arn:aws:sts::${ACCT}:assumed-role/Name/x`, problem: "has a session name 'x' of 1 character (IAM allows 2 to 64) in 'arn:aws:sts::123456789012:assumed-role/Name/x'; copy the exact ARN from aws sts get-caller-identity or the IAM console" },
  { name: 'federated user with a slash', input: `arn:aws:sts::${ACCT}:federated-user/a/b`, problem: "must have the form federated-user/NAME ('arn:aws:sts::123456789012:federated-user/a/b'); e.g. arn:aws:sts::123456789012:federated-user/Bob" },
  { name: 'other sts resource', input: `arn:aws:sts::${ACCT}:session/x`, problem: "is not an STS assumed-role or federated-user ARN ('arn:aws:sts::123456789012:session/x'); e.g. arn:aws:sts::123456789012:assumed-role/ROLE/SESSION" },
];

describe('parsePrincipalArn', () => {
  for (const row of rows) {
    test(row.name, () => {
      const expected = 'problem' in row ? { ok: false, problem: row.problem } : { ok: true, value: row.value };
      assert.deepEqual(parsePrincipalArn(row.input), expected);
    });
  }

  test('the table covers every kind and at least 15 rows', () => {
    assert.ok(rows.length >= 15, `only ${rows.length} rows`);
    const kinds = new Set(rows.flatMap((r) => ('value' in r ? [r.value.kind] : [])));
    assert.deepEqual([...kinds].sort(), ['assumed-role', 'federated-user', 'group', 'role', 'root', 'user']);
  });

  test('every problem reads after the field name and names a fix', () => {
    for (const row of rows) {
      if ('problem' in row) {
        assert.match(row.problem, /^(is|has|must) /, row.name);
        assert.match(row.problem, /; /, row.name);
      }
    }
  });
});
