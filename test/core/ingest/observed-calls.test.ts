// The observed-things collectors of a split file's pieces log their calls;
// replayed piece after piece into the file's collector they must give what
// one collector fed the whole file gives, past the bound too (where which
// keys are kept, and how many records overflowed, depend on order).
import { describe, expect, it } from 'vitest';
import { MAX_OBSERVED_NAMES, ObservedNames } from '../../../src/core/ingest/observed-names';
import { ObservedServices } from '../../../src/core/ingest/observed-services';
import { ObservedPods, type ObservedPod } from '../../../src/core/ingest/observed-pods';
import { mulberry32 } from '../../helpers/prng';

function pieces<T>(calls: readonly T[], cuts: readonly number[]): T[][] {
  const out: T[][] = [];
  let from = 0;
  for (const cut of [...cuts, calls.length]) {
    out.push(calls.slice(from, cut));
    from = cut;
  }
  return out;
}

describe('observed collectors replayed from pieces', () => {
  it('names: more distinct addresses than the bound, revisited across pieces', () => {
    const random = mulberry32(7);
    const calls: [string, string][] = [];
    for (let i = 0; i < 2 * MAX_OBSERVED_NAMES + 60_000; i++) {
      // Half the calls revisit an address seen before (possibly in an earlier piece), with another name.
      const id = i % 2 === 0 ? i : Math.floor(random() * i);
      calls.push([`10.${id >> 16}.${(id >> 8) & 255}.${id & 255}`, `vm-${Math.floor(random() * 3)}`]);
    }
    const whole = new ObservedNames();
    for (const [ip, name] of calls) whole.add(ip, name);
    const merged = new ObservedNames();
    for (const piece of pieces(calls, [40_000, 150_000, 230_000])) {
      const recorder = new ObservedNames(true);
      for (const [ip, name] of piece) recorder.add(ip, name);
      for (const call of recorder.takeCalls()) merged.add(...call.args, call.times);
    }
    expect(whole.overflow).toBeGreaterThan(0);
    expect(merged.overflow).toBe(whole.overflow);
    expect(merged.list()).toEqual(whole.list());
  });

  it('services and pods: counts add up and the fuller pod wins whatever the piece', () => {
    const services = new ObservedServices();
    const mergedServices = new ObservedServices();
    const pods = new ObservedPods();
    const mergedPods = new ObservedPods();
    const pod = (labels: number): ObservedPod => ({ ip: '10.0.0.1', namespace: 'shop', pod: 'cart-1', labels: Object.fromEntries(Array.from({ length: labels }, (_, i) => [`k${i}`, 'v'])), owner: null });
    const serviceCalls: [string, number, number, string][] = [['10.0.0.1', 6, 80, 'http'], ['10.0.0.1', 6, 80, 'HTTP'], ['10.0.0.1', 6, 80, 'ssl'], ['10.0.0.2', 6, 22, 'ssh'], ['10.0.0.1', 6, 80, 'http']];
    const podCalls = [pod(1), pod(3), pod(2)];
    for (const call of serviceCalls) services.add(...call);
    for (const each of podCalls) pods.add(each);
    for (const piece of pieces(serviceCalls, [2, 3])) {
      const recorder = new ObservedServices(true);
      for (const call of piece) recorder.add(...call);
      for (const call of recorder.takeCalls()) mergedServices.add(...call.args, call.times);
    }
    for (const piece of pieces(podCalls, [1])) {
      const recorder = new ObservedPods(true);
      for (const each of piece) recorder.add(each);
      for (const call of recorder.takeCalls()) mergedPods.add(...call.args, call.times);
    }
    expect(mergedServices.list()).toEqual(services.list());
    expect(services.list()[0]).toMatchObject({ port: 80, service: 'http', count: 3 });
    expect(mergedPods.list()).toEqual(pods.list());
    expect(Object.keys(pods.list()[0]!.labels)).toHaveLength(3);
  });
});
