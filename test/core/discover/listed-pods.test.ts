import { describe, expect, it } from 'vitest';
import type { ProfileEdge } from '../../../src/core/discover/host-features';
import { listedApart } from '../../../src/core/discover/listed-pods';
import { podHost } from './pod-host';

// Groups a pod list keeps apart (listed-pods.ts): listed pods of one workload, and hosts the list does not name
// although they were heard near the capture's end.

const HOUR = 3_600_000;
const REVIEWS = 'bookinfo/Deployment/reviews-v1';
const hosts = [podHost('10.244.0.1', {}, REVIEWS), podHost('10.244.0.2', {}, REVIEWS), podHost('10.244.1.1'), podHost('10.244.1.2'), podHost('10.244.9.9')];
const call = (server: string, lastMs: number | null): ProfileEdge => ({ client: '10.244.9.9', server, proto: 6, port: 9080, flows: 10, firstMs: lastMs === null ? null : 0, lastMs });

describe('listedApart', () => {
  it('keeps a group of listed pods from a group holding an unlisted host heard within the hour of the end, either way round', () => {
    const apart = listedApart({ hosts }, [call('10.244.0.1', 48 * HOUR), call('10.244.0.2', 48 * HOUR), call('10.244.1.1', 48 * HOUR - 10 * 60_000), call('10.244.1.2', 20 * HOUR)], HOUR);
    expect(apart([0, 1], [2])).toBe(true);
    expect(apart([2, 3], [0, 1])).toBe(true);
  });

  it('lets an unlisted host join that fell silent long before the end (an old replica, gone before the list was taken)', () => {
    const apart = listedApart({ hosts }, [call('10.244.0.1', 48 * HOUR), call('10.244.1.2', 20 * HOUR)], HOUR);
    expect(apart([0, 1], [3])).toBe(false);
  });

  it('keeps nothing apart where a group mixes listed and unlisted hosts, where no host is listed, or where the export gives no times', () => {
    const edges = [call('10.244.0.1', 48 * HOUR), call('10.244.1.1', 48 * HOUR)];
    expect(listedApart({ hosts }, edges, HOUR)([0, 2], [2])).toBe(false);
    expect(listedApart({ hosts: hosts.map((host) => podHost(host.ip)) }, edges, HOUR)([0, 1], [2])).toBe(false);
    expect(listedApart({ hosts }, [call('10.244.0.1', null), call('10.244.1.1', null)], HOUR)([0, 1], [2])).toBe(false);
  });
});
