import cliProgress from 'cli-progress';

/** A terminal progress bar for long jobs: done/total units, throughput and ETA. */
export interface ProgressBar {
  /** Sets progress; `rate` is shown with `rateUnit` (e.g. 42.1 Mpx/s). */
  update(done: number, total: number, rate?: number): void;
  stop(): void;
}

/** Options of {@link createProgressBar}. */
export interface ProgressBarOptions {
  /** Unit label of done/total, Chinese first (e.g. `瓦片 tiles`). */
  unit: string;
  /** Unit of the rate (e.g. `Mpx/s`). */
  rateUnit?: string;
}

/**
 * A cli-progress bar on `stream` when it is a terminal, else a silent no-op (pipes and logs stay clean).
 * @example const bar = createProgressBar(process.stderr, { unit: '瓦片 tiles', rateUnit: 'Mpx/s' });
 */
export function createProgressBar(stream: NodeJS.WritableStream & { isTTY?: boolean }, options: ProgressBarOptions): ProgressBar {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as NodeJS.WritableStream,
      format: ` {bar} {percentage}% | {value}/{total} ${options.unit} | {rate} ${options.rateUnit ?? ''} | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
      fps: 8,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, rate) {
      const payload = { rate: rate === undefined ? '-' : rate.toFixed(1) };
      if (!started) {
        bar.start(total, done, payload);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done, payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
