// Waivers: findings an owner has accepted for a while. A waiver needs a reason and an expiry; an
// expired waiver or one naming an unknown check stops applying and says so (warn), so acceptances
// cannot silently outlive their approval.

import { z } from 'zod';
import { readConfigFile, UsageError } from './options.ts';

const waiverSchema = z
  .object({
    check: z.string().min(1),
    subject: z.string().min(1).optional(),
    reason: z.string().trim().min(5, 'needs a reason (why the finding is accepted)'),
    // YAML reads an unquoted 2027-01-31 as a date: normalise it back to YYYY-MM-DD.
    expires: z.preprocess(
      (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v),
      // A real calendar date: Date.parse rolls 2027-02-31 over to March 3 instead of refusing it.
      z.string().refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v, {
        message: 'must be a real calendar date YYYY-MM-DD; use e.g. 2027-02-28',
      }),
    ),
    approvedBy: z.string().min(1).optional(),
  })
  .strict();

export type Waiver = z.infer<typeof waiverSchema>;

const fileSchema = z.object({ waivers: z.array(waiverSchema) }).strict();

export function readWaivers(file: string): Waiver[] {
  const data = readConfigFile(file, '--waivers');
  const parsed = fileSchema.safeParse(data);
  if (parsed.success) return parsed.data.waivers;
  const issue = parsed.error.issues[0];
  const where = issue.path.map(String).join('.');
  const message = issue.code === 'invalid_type' && /received undefined/.test(issue.message) ? 'is required (every waiver needs check, reason and expires)' : issue.message;
  throw new UsageError(`--waivers ${file}: "${where || 'waivers'}" ${message}`);
}
