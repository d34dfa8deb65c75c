// A progress bar for long commands on a terminal; plain periodic lines when output is not a TTY (CI).
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function progressBar(label: string): Progress {
  if (!process.stderr.isTTY) {
    let lastPrinted = 0;
    return {
      update(done, total) {
        const now = Date.now();
        if (now - lastPrinted > 2000 || done === total) {
          lastPrinted = now;
          process.stderr.write(`${label}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')}\n`);
        }
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
