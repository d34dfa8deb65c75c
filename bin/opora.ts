// Entry point of `npm run opora -- <command>` and `npm start`.

// First, so V8 runs the app with them from its first module on.
import '../src/platform/v8-flags.ts';
import { main } from '../src/cli.ts';
import { UsageError } from '../src/platform/cli/args.ts';
import { AppError } from '../src/platform/errors.ts';

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || error instanceof AppError) {
    process.stderr.write(`opora: ${error.message}\nRun "npm run opora -- help" for usage.\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`opora: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
}
