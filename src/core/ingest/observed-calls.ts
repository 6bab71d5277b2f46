import type { ObservedPod } from './observed-pods';
/**
 * The add() calls that one piece of a split file made on an observed-things
 * collector (observed-pods.ts and its siblings), distinct calls in the order
 * they first came, each with how often it came. Replayed piece after piece
 * into the file's own collector they give exactly what reading the file
 * whole gives: the collectors keep the first distinct keys up to their
 * bound (decided by first appearance, which the log keeps), count every
 * other call as overflow (the count is kept), and otherwise choose between
 * values in an order-free way (fullest pod, smallest name, summed counts).
 */
export interface ObservedCall<A extends readonly unknown[]> {
  readonly args: A;
  readonly times: number;
}

export class CallLog<A extends readonly unknown[]> {
  private readonly calls = new Map<string, { args: A; times: number }>();

  note(key: string, args: A): void {
    const known = this.calls.get(key);
    if (known !== undefined) known.times++;
    else this.calls.set(key, { args, times: 1 });
  }

  /** The calls logged, then forgets them (a parser reused for the next piece logs that piece's alone). */
  take(): ObservedCall<A>[] {
    const calls = [...this.calls.values()];
    this.calls.clear();
    return calls;
  }
}

/** The calls each collector of one piece logged (plain data: it crosses to the pool's thread). */
export interface ObservedCallLogs {
  readonly pods?: readonly ObservedCall<[ObservedPod]>[];
  readonly names?: readonly ObservedCall<[string, string]>[];
  readonly services?: readonly ObservedCall<[string, number, number, string]>[];
  readonly labels?: readonly ObservedCall<[string, string, string]>[];
}
