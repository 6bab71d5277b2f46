import { describe, expect, it } from 'vitest';
import { unlistedExtraOver, type SubsetView } from '../../../src/core/discover/unlisted-superset';

// Group 0: a line's filed PLCs (answer Modbus to the station, group 3, and keep time on group 4). Group 1: the
// line's unlisted PLC, which also scans its adapters (group 2) over EtherNet/IP and takes their I/O on 2222.
const within = (key: string, a: number, b: number): boolean => key.endsWith(`#${a}`) || key.endsWith(`#${b}`);

function view(extraKeys: readonly string[] = [], extraServed: readonly string[] = [], partServed: readonly string[] = ['tcp/502<-#3']): SubsetView {
  const keysOf = [
    new Set(['answers tcp/502', 'uses udp/123@#4']),
    new Set(['answers tcp/502', 'answers udp/2222', 'uses udp/123@#4', 'uses tcp/44818@#2', ...extraKeys]),
    new Set(['answers tcp/44818', 'uses udp/2222@#1', 'uses udp/123@#4']),
    new Set(['uses tcp/502@#0', 'uses tcp/502@#1']),
    new Set(['answers udp/123']),
  ];
  const servedOf = [new Set(partServed), new Set(['tcp/502<-#3', 'udp/2222<-#2', ...extraServed]), new Set(['tcp/44818<-#1']), new Set<string>(), new Set(['udp/123<-#0', 'udp/123<-#1', 'udp/123<-#2'])];
  return { keysOf, servedOf, typicalOf: keysOf, typicalServedOf: servedOf, roleServed: () => true, within };
}

describe('unlistedExtraOver', () => {
  it("counts the unlisted PLC's extra keys when all it does beyond the part is for its own adapters", () => {
    expect(unlistedExtraOver(view(), 0, 1, 1)).toBe(2);
  });

  it('allows one extra duty beyond its own devices, not two', () => {
    expect(unlistedExtraOver(view(['uses tcp/502@#9']), 0, 1, 1)).toBe(3);
    expect(unlistedExtraOver(view(['uses tcp/502@#9', 'uses tcp/4840@#8']), 0, 1, 1)).toBeNull();
    // A port answered to the part's own client is a duty, not work for a device.
    expect(unlistedExtraOver(view(['answers tcp/80'], ['tcp/80<-#3']), 0, 1, 0)).toBeNull();
  });

  it('needs the part to answer a role, and the unlisted group to answer it to the same clients', () => {
    expect(unlistedExtraOver(view([], [], []), 0, 1, 1)).toBeNull();
    expect(unlistedExtraOver(view([], [], ['tcp/502<-#3', 'tcp/502<-#7']), 0, 1, 1)).toBeNull();
  });
});
