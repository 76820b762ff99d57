// SIGINT/SIGTERM before a command has its own handler (while modules load and input is read and
// validated, the first few hundred milliseconds) used to end the process with the signal's status,
// which CI reads as neither a verdict nor "incomplete". The bootstrap installs one listener first
// thing and keeps it for the life of the process; a run routes signals to its own handler through
// it (routeSignals). Keeping the one listener matters: removing a signal's last listener drops a
// signal that is already pending, so a hand-over from one listener to another could lose it.
// Dependency-free: loaded by the bootstrap.

const EXIT_INCOMPLETE = 2;
const EXIT_SIGNAL = 130;

let held = false;
let phase: 'before' | 'run' | 'after' = 'before';
let handler: ((signal: NodeJS.Signals) => void) | undefined;
let lateSignals = 0;

function onSignal(signal: NodeJS.Signals): void {
  if (handler) return handler(signal);
  if (phase === 'after') {
    // The run is over and its reports are written: the process is ending with the verdict's code
    // anyway, so a signal now changes nothing; one more (something hangs) quits at once.
    if (lateSignals++ === 0) return;
    process.exit(EXIT_SIGNAL);
  }
  process.stderr.write(`packages-preflight: ${signal} received before the run started: nothing was checked, no report was written.\n`);
  process.exit(EXIT_INCOMPLETE);
}

/** The bootstrap: from now on a signal ends the process with exit 2 until a run routes it elsewhere. */
export function holdEarlySignals(): void {
  if (held) return;
  held = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Sends SIGINT/SIGTERM to `run` until the returned function is called. */
export function routeSignals(run: (signal: NodeJS.Signals) => void): () => void {
  if (!held) {
    // Not started through the bootstrap (tests calling commands in-process): listen directly.
    process.on('SIGINT', run);
    process.on('SIGTERM', run);
    return () => {
      process.off('SIGINT', run);
      process.off('SIGTERM', run);
    };
  }
  handler = run;
  phase = 'run';
  return () => {
    if (handler === run) handler = undefined;
    phase = 'after';
  };
}
