// `packages-preflight fleet --targets FILE [--concurrency N] [--shard I/N]`: many buckets in one run,
// one combined report (JSON with `targets`, one JUnit suite per target, a Markdown fleet summary
// first). Exit code = the worst target's.

import { useProxy } from '../../aws/network.ts';
import { caBundleOf, routeLogger } from '../session.ts';
import { ghesActionsChecks } from '../../../checks/ghes-actions-s3/index.ts';
import { ghesS3Checks } from '../../../checks/ghes-s3/index.ts';
import { DEFAULT_FLEET_CONCURRENCY, fleetCommandSchema, loadFleetFile, parseShard } from '../../config/fleet-options.ts';
import { validate } from '../../config/options.ts';
import type { Verdict } from '../../model.ts';
import { redact } from '../../redact.ts';
import { combineTargets, type TargetReport } from '../../report/report.ts';
import { runFleet, selectShard } from '../../run/fleet.ts';
import { TOOL } from '../../version.ts';
import { finish, loadWaivers, pickFlags, planOutput, runControl, sourcePath } from '../common.ts';
import { err } from '../output.ts';
import { endpointFromEnv } from './check.ts';
import { uiText } from '../../i18n/ui.ts';

/**
 * Progress on stderr as each target finishes (--quiet silences it). On a terminal one line that
 * updates in place; elsewhere (CI logs) one line per finished target, so a long run shows life.
 */
function progressLine(total: number, terminal: boolean) {
  const counts: Record<Verdict, number> = { compliant: 0, 'non-compliant': 0, incomplete: 0 };
  let shown = false;
  return {
    update(report: TargetReport, done: number) {
      counts[report.verdict] += 1;
      const tally = { nonCompliant: counts['non-compliant'], incomplete: counts.incomplete };
      if (!terminal) return err(uiText('fleet.progressLine', { done, total, name: report.name, verdict: uiText(`verdict.${report.verdict}`), ...tally }));
      shown = true;
      process.stderr.write(redact(`\r\x1b[K${uiText('fleet.progress', { done, total, ...tally })}`));
    },
    end() {
      if (shown) process.stderr.write('\n');
      shown = false;
    },
  };
}

export async function runFleetCommand(args: Record<string, unknown>): Promise<number> {
  const options = validate(fleetCommandSchema, pickFlags(args, Object.keys(fleetCommandSchema.shape)), 'flag');
  const shard = options.shard !== undefined ? parseShard(options.shard) : undefined;
  const all = loadFleetFile(options.targets);
  const selected = shard ? selectShard(all, shard) : all;
  const endpointUrl = endpointFromEnv(options.endpointUrl);
  const output = planOutput(options);
  // A fleet may mix Packages and Actions (storage: actions) targets: a waiver may name a check of either pack.
  const waivers = loadWaivers(options.waivers, [...ghesS3Checks, ...ghesActionsChecks].map((c) => c.id));
  if (shard && selected.length === 0 && !options.quiet) err(uiText('fleet.emptyShard', { index: shard.index, count: shard.count, targets: all.length }));
  const control = runControl(options.timeout);
  const progress = options.quiet ? undefined : progressLine(selected.length, Boolean(process.stderr.isTTY));
  try {
    const startedAt = new Date();
    if (options.proxy) useProxy(options.proxy);
    const targets = await runFleet(selected, {
      caBundle: caBundleOf(options),
      onRoute: routeLogger(Boolean(options.debug)),
      concurrency: options.concurrency ?? DEFAULT_FLEET_CONCURRENCY,
      endpointUrl,
      maxAttempts: options.maxAttempts,
      signal: control.signal,
      onApiCall: options.debug
        ? (name, call) => err(`debug: [${name}] ${call.service}:${call.operation} ${call.resource} -> ${call.outcome} in ${call.durationMs} ms${call.requestId ? ` (request id ${call.requestId})` : ''}`)
        : undefined,
      onWarning: (message) => err(`packages-preflight: warning: ${message}`),
      onTargetDone: progress ? (report, done) => progress.update(report, done) : undefined,
    });
    progress?.end();
    // Each target remembers the file that defined it: SARIF anchors its results there (also after a merge).
    for (const t of targets) t.target = { ...t.target, definedIn: sourcePath(options.targets) };
    // From the whole file, not the shard: the shards of one fleet must name one pack to merge.
    const pack = all.every((t) => t.options.storage === 'actions') ? 'ghes-actions-s3' : 'ghes-s3';
    const report = combineTargets({ tool: TOOL, pack, startedAt, finishedAt: new Date(), interrupted: control.signal.aborted }, targets);
    // A shard says which slice it is, so `report merge` can refuse an incomplete set of shards.
    if (shard) report.target = { ...report.target, shard: `${shard.index}/${shard.count}`, fleetTargets: all.length };
    return finish(report, { output, quiet: options.quiet, color: options.color, waivers, sarifAnchor: options.sarifAnchor });
  } finally {
    progress?.end();
    control.dispose();
  }
}
