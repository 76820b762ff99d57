// `report export --security-hub`: imports a report's ASFF findings into AWS Security Hub through the
// caller's default product (BatchImportFindings, at most 100 per call). This and --probe are the
// only writes the tool makes; it needs securityhub:BatchImportFindings on that product
// (`policy checker --security-hub`).

import { BatchImportFindingsCommand, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { type AsffFinding, asffBatches, asffFindings } from '../report/asff.ts';
import { redactDeep } from '../redact.ts';
import type { Report } from '../report/report.ts';
import type { AwsSession } from './session.ts';
import { errorCode } from './errors.ts';

export interface SecurityHubImport {
  account: string;
  region: string;
  sent: number;
  imported: number;
  /** Findings Security Hub refused; a call that failed as a whole ends the export (then `id` is the range not imported). */
  failed: Array<{ id: string; code: string; message: string }>;
}

export async function exportToSecurityHub(session: AwsSession, report: Report): Promise<SecurityHubImport> {
  const identity = await session.sts().send(new GetCallerIdentityCommand({}));
  const account = identity.Account ?? '';
  const region = session.region;
  // Whatever leaves the process is redacted, as every report file is.
  const findings: AsffFinding[] = redactDeep(asffFindings(report, { account, region }));
  const outcome: SecurityHubImport = { account, region, sent: 0, imported: 0, failed: [] };
  let offset = 0;
  for (const batch of asffBatches(findings)) {
    try {
      const out = await session.securityHub().send(new BatchImportFindingsCommand({ Findings: batch as unknown as AwsSecurityFinding[] }));
      outcome.sent += batch.length;
      outcome.imported += out.SuccessCount ?? 0;
      for (const f of out.FailedFindings ?? []) outcome.failed.push({ id: f.Id ?? '', code: f.ErrorCode ?? 'Failed', message: f.ErrorMessage ?? '' });
    } catch (e) {
      // A refused call (AccessDenied, Security Hub not enabled) would refuse the next batches too.
      outcome.failed.push({ id: `findings ${offset + 1}-${findings.length}`, code: errorCode(e), message: (e as Error)?.message ?? String(e) });
      break;
    }
    offset += batch.length;
  }
  return outcome;
}
