import { parsePrincipalArn } from '../../src/config/arn.ts';
import { claimKey, issuerUrl, OIDC_AUDIENCE, providerArn, WEB_IDENTITY_ACTION } from '../../src/oidc/issuer.ts';
import { actionsTrustPolicy } from '../../src/oidc/policies.ts';
import { analyzeTrustPolicy } from '../../src/oidc/trust.ts';
import { AWS_OIDC_TRUST_DOC, defineOidcCheck, GHES_ACTIONS_S3_DOC } from './oidc-facts.ts';

export default defineOidcCheck({
  id: 'oidc-trust',
  title: 'Only the appliance\'s tokens can assume the Actions storage role',
  severity: 'critical',
  rationale:
    'The role\'s trust policy decides who gets its S3 rights. GHES needs exactly its own issuer\'s provider, sts:AssumeRoleWithWebIdentity, and StringEquals on HOST/_services/token:aud = sts.amazonaws.com and HOST/_services/token:sub = HOST. Without the sub condition, or with a wildcard, any token the issuer signs for that audience qualifies; another principal or action opens the role to more than GHES.',
  remediation: `Replace the role's trust policy with the one "packages-preflight policy actions-role --bucket BUCKET --ghes-host HOST --account ACCOUNT" prints (aws iam update-assume-role-policy).`,
  references: [GHES_ACTIONS_S3_DOC, AWS_OIDC_TRUST_DOC],
  messages: {
    keyBased: 'Not an OpenID Connect setup (no --role-arn and --ghes-host): GHES uses access keys, so there is no role trust to check.',
    needBoth: 'OpenID Connect needs both --role-arn and --ghes-host; only {{given}} was given, so the role\'s trust cannot be judged.',
    notRole: '{{roleArn}} is not an IAM role ARN ({{problem}}); GHES assumes a role.',
    unreadable: 'The trust policy of {{roleArn}} could not be analysed: {{reason}}.',
    otherPrincipal: 'The trust policy of {{roleArn}} lets more than the appliance\'s provider assume it: {{detail}} ({{statement}}).',
    otherAction: 'The trust policy of {{roleArn}} allows more than {{action}}: {{detail}} ({{statement}}).',
    noStatement: 'The trust policy of {{roleArn}} does not let {{provider}} call {{action}}, so GHES cannot assume the role.',
    missingSub: 'The trust policy of {{roleArn}} does not require {{subKey}} = "{{host}}" ({{statement}}): any token of the issuer for {{audience}} can assume the role.',
    wildcard: 'The trust policy of {{roleArn}} matches a claim with wildcards: {{detail}} ({{statement}}); use StringEquals with the exact value.',
    wrongSub: 'The trust policy of {{roleArn}} requires another subject than GHES presents: {{detail}} ({{statement}}); GHES\'s tokens have sub "{{host}}".',
    otherOperator: 'The trust policy of {{roleArn}} tests a claim with another operator: {{detail}} ({{statement}}).',
    missingAud: 'The trust policy of {{roleArn}} does not require {{audKey}} = "{{audience}}" ({{statement}}).',
    wrongAud: 'The trust policy of {{roleArn}} requires another audience than GHES asks for: {{detail}} ({{statement}}); GHES\'s tokens are for "{{audience}}".',
    fixTrustPolicy: 'Use this trust policy (aws iam update-assume-role-policy --role-name {{roleName}} --policy-document file://trust.json):\n{{policy}}',
    trusted: '{{roleArn}} trusts only {{provider}}, with {{action}}, aud "{{audience}}" and sub "{{host}}" ({{statement}}).',
  },
  async run({ target, facts, report }) {
    const { roleArn, ghesHost } = target;
    if (!roleArn && !ghesHost) return report.skip('keyBased');
    if (!roleArn || !ghesHost) return report.skip('needBoth', { given: roleArn ? '--role-arn' : '--ghes-host' }, { incomplete: true });
    const parsed = parsePrincipalArn(roleArn);
    if (!parsed.ok || parsed.value.kind !== 'role') return report.error('notRole', { roleArn, problem: parsed.ok ? `a ${parsed.value.kind} ARN` : parsed.problem });
    const { partition, account } = parsed.value;
    const provider = providerArn(partition, account, ghesHost);
    const trust = await facts.roleTrustPolicy(roleArn);
    const analysis = analyzeTrustPolicy(trust.document, { host: ghesHost, providerArn: provider });
    const expectedPolicy = actionsTrustPolicy(partition, account, ghesHost);
    const base = { api: 'iam:GetRole', resource: roleArn, issuer: issuerUrl(ghesHost), provider };
    if (!analysis.ok) return report.error('unreadable', { roleArn, reason: analysis.parseError }, { evidence: { ...base, code: 'MalformedPolicy' } });
    const data = { roleArn, provider, action: WEB_IDENTITY_ACTION, audience: OIDC_AUDIENCE, host: ghesHost.toLowerCase(), subKey: claimKey(ghesHost, 'sub'), audKey: claimKey(ghesHost, 'aud') };
    const evidence = { ...base, allowStatements: analysis.allowStatements, granting: analysis.granting, problems: analysis.problems };
    const [first] = analysis.problems;
    if (first) {
      const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
      return report.fail(first.id, { ...data, statement: first.statement || 'no statement', detail: first.detail }, {
        evidence: { ...evidence, expectedPolicy },
        remediation: { message: 'fixTrustPolicy', data: { roleName, policy: JSON.stringify(expectedPolicy, null, 2) } },
      });
    }
    report.pass('trusted', { ...data, statement: analysis.granting.join(', ') }, { evidence });
  },
});
