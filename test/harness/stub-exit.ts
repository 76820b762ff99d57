// For tests of the CLI's signal handling in-process: process.exit throws instead of ending the
// test process, and stderr is captured. Always call restore() in a finally.

export interface ExitStub {
  exits: number[];
  stderr: string[];
  restore(): void;
}

export function stubExit(): ExitStub {
  const stub: ExitStub = { exits: [], stderr: [], restore: () => undefined };
  const realExit = process.exit;
  const realWrite = process.stderr.write;
  process.exit = ((code: number) => {
    stub.exits.push(code);
    throw new Error(`exit ${code}`);
  }) as typeof process.exit;
  process.stderr.write = ((chunk: string) => (stub.stderr.push(String(chunk)), true)) as typeof process.stderr.write;
  stub.restore = () => {
    process.exit = realExit;
    process.stderr.write = realWrite;
  };
  return stub;
}
