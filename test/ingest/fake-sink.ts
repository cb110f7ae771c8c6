// A RecordSink for source tests: records what it is given, and can reject as overloaded or hold
// submits open (to drive backpressure) without any real pipeline.
import type { RawRecord } from '../../src/model/event.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { Metrics } from '../../src/pipeline/metrics.ts';
import {
  OverloadedError,
  type RecordSink,
  type SubmitOptions,
  type SubmitResult,
} from '../../src/pipeline/record-sink.ts';
import type { StageContext } from '../../src/pipeline/stage-context.ts';

export class FakeSink implements RecordSink {
  readonly records: RawRecord[] = [];
  readonly options: (SubmitOptions | undefined)[] = [];
  submits = 0;
  /** Reject this many submits with OverloadedError before accepting. */
  overloadNext = 0;
  #held: (() => void)[] = [];
  #holding = false;

  /** Keep submits pending until release(). */
  hold(): void {
    this.#holding = true;
  }

  release(): void {
    this.#holding = false;
    for (const resolve of this.#held.splice(0)) resolve();
  }

  get pendingSubmits(): number {
    return this.#held.length;
  }

  async submit(records: readonly RawRecord[], options?: SubmitOptions): Promise<SubmitResult> {
    this.submits++;
    if (this.overloadNext > 0) {
      this.overloadNext--;
      throw new OverloadedError('full', 0.01);
    }
    if (this.#holding) await new Promise<void>((resolve) => this.#held.push(resolve));
    this.records.push(...records);
    this.options.push(options);
    return { stored: records.length, failed: 0, errors: [] };
  }
}

export function testContext(): StageContext & { readonly metrics: Metrics; readonly abort: AbortController } {
  const abort = new AbortController();
  return { signal: abort.signal, log: silentLogger, metrics: new Metrics(), abort };
}

/** Poll until the condition holds (or fail after the timeout). */
export async function waitFor(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
