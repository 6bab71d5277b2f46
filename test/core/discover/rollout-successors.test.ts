import { describe, expect, it } from 'vitest';
import type { ProfileEdge } from '../../../src/core/discover/host-features';
import { joinRolloutSuccessors, ROLLOUT_SUCCESSOR_DEFAULTS } from '../../../src/core/discover/rollout-successors';
import { runGroupJoin } from './group-join-fixture';

// A front end (.10) calls two Thrift services on 9090 that call nothing: unique-id (.21, .22) and media
// (.31, .32), which behaviour cannot tell apart. At hour 10 of a 48-hour capture unique-id is rolled out:
// .21 and .22 stop, .41 and .42 start. Prometheus (.5) scrapes every pod on 15020 all along, and the
// front end also reads ten caches on 6379 (so that 9090 is one service among others, not a scrape).

const HOUR = 3_600_000;
const START = Date.UTC(2026, 4, 7);
const FRONT = '10.52.0.10';
const PROMETHEUS = '10.52.0.5';
const OLD = ['10.52.1.21', '10.52.1.22'];
const MEDIA = ['10.52.1.31', '10.52.1.32'];
const NEW = ['10.52.2.41', '10.52.2.42'];
const CACHES = Array.from({ length: 10 }, (_, k) => `10.52.3.${k + 1}`);

/** An edge seen from one hour to another, a record every 15 minutes (`perHour` records an hour). */
const timed = (client: string, server: string, port: number, fromHour: number, untilHour: number, perHour = 4): ProfileEdge => ({
  client,
  server,
  proto: 6,
  port,
  flows: Math.max(1, Math.round((untilHour - fromHour) * perHour)),
  firstMs: START + fromHour * HOUR,
  lastMs: START + untilHour * HOUR,
});

/** Every pod serves the front end on 9090 and Prometheus on 15020 while it runs; `rolloutHour` is when the new pods take over. */
function mesh({ rolloutHour = 10, newStartsAt = rolloutHour, extraNew = [] as ProfileEdge[] }: { rolloutHour?: number; newStartsAt?: number; extraNew?: ProfileEdge[] } = {}): ProfileEdge[] {
  const edges: ProfileEdge[] = [];
  const pod = (ip: string, from: number, until: number) => edges.push(timed(FRONT, ip, 9090, from, until), timed(PROMETHEUS, ip, 15020, from, until));
  for (const ip of OLD) pod(ip, 0, rolloutHour);
  for (const ip of MEDIA) pod(ip, 0, 48);
  for (const ip of NEW) pod(ip, newStartsAt, 48);
  for (const ip of CACHES) edges.push(timed(FRONT, ip, 6379, 0, 48), timed(PROMETHEUS, ip, 15020, 0, 48));
  return [...edges, ...extraNew];
}

/** What behaviour made of them: the old pods with media, the new ones apart. */
const asBehaviourLeftThem = [[...OLD, ...MEDIA], NEW];

describe('joinRolloutSuccessors', () => {
  it('joins pods that stopped serving to the pods that began serving the same clients at that moment', () => {
    const { groups, notes } = runGroupJoin(joinRolloutSuccessors, mesh(), asBehaviourLeftThem);
    expect(groups).toContainEqual([...OLD, ...NEW].sort());
    expect(groups).toContainEqual([...MEDIA].sort());
    expect(notes.get(OLD[0]!)).toBe(
      `replaced in a rollout by {${NEW[0]} +1}: it was last seen at ${new Date(START + 10 * HOUR).toISOString()}, and they began serving tcp/9090 to its clients within 60 minutes`,
    );
    expect(notes.has(MEDIA[0]!)).toBe(false);
  });

  it(`moves nothing when the new pods began more than ${ROLLOUT_SUCCESSOR_DEFAULTS.handoverMs / HOUR} h from when the old ones stopped`, () => {
    const { groups } = runGroupJoin(joinRolloutSuccessors, mesh({ rolloutHour: 10, newStartsAt: 12 }), asBehaviourLeftThem);
    expect(groups).toContainEqual([...OLD, ...MEDIA].sort());
  });

  it('moves nothing when the newcomers serve another service as well: they are not what the old pods were', () => {
    const extra = NEW.map((ip) => timed(FRONT, ip, 8080, 10, 48));
    const { groups } = runGroupJoin(joinRolloutSuccessors, mesh({ extraNew: extra }), asBehaviourLeftThem);
    expect(groups).toContainEqual([...OLD, ...MEDIA].sort());
  });

  it('moves nothing when the newcomers serve other clients', () => {
    const edges = mesh().map((edge) => (NEW.includes(edge.server) && edge.port === 9090 ? { ...edge, client: '10.52.0.11' } : edge));
    const { groups } = runGroupJoin(joinRolloutSuccessors, edges, asBehaviourLeftThem);
    expect(groups).toContainEqual([...OLD, ...MEDIA].sort());
  });

  it('moves nothing when successors sit in two groups: two services rolled out at once, and the moment no longer says which', () => {
    const { groups } = runGroupJoin(joinRolloutSuccessors, mesh(), [[...OLD, ...MEDIA], [NEW[0]!], [NEW[1]!]]);
    expect(groups).toContainEqual([...OLD, ...MEDIA].sort());
  });

  it('moves nothing across labels that name other services', () => {
    const identities = Object.fromEntries([...OLD.map((ip) => [ip, 'app=media']), ...NEW.map((ip) => [ip, 'app=unique-id'])]);
    const { groups } = runGroupJoin(joinRolloutSuccessors, mesh(), asBehaviourLeftThem, identities);
    expect(groups).toContainEqual([...OLD, ...MEDIA].sort());
  });

  it('brings unlabelled successors to the labelled pods they replaced (a pod list from before the capture)', () => {
    const identities = Object.fromEntries(OLD.map((ip) => [ip, 'app=unique-id']));
    const { groups, notes } = runGroupJoin(joinRolloutSuccessors, mesh(), [OLD, [...NEW, ...MEDIA]], identities);
    expect(groups).toContainEqual([...OLD, ...NEW].sort());
    expect(groups).toContainEqual([...MEDIA].sort());
    expect(notes.get(NEW[1]!)).toMatch(new RegExp(`^took over from ${OLD[0]!.replaceAll('.', '\\.')} in a rollout: .*labels name that side$`));
  });

  it('leaves hosts that served all capture long where they are, and does nothing without times', () => {
    const steady = mesh({ rolloutHour: 48, newStartsAt: 0 });
    expect(runGroupJoin(joinRolloutSuccessors, steady, asBehaviourLeftThem).groups).toContainEqual([...OLD, ...MEDIA].sort());
    const untimed = mesh().map(({ firstMs: _first, lastMs: _last, ...edge }) => edge);
    expect(runGroupJoin(joinRolloutSuccessors, untimed, asBehaviourLeftThem).groups).toContainEqual([...OLD, ...MEDIA].sort());
  });

  it('takes a host that is still scraped or still calls its back ends for alive, however long since its last client', () => {
    const scraped = OLD.map((ip) => timed(PROMETHEUS, ip, 15020, 10, 48));
    expect(runGroupJoin(joinRolloutSuccessors, [...mesh(), ...scraped], asBehaviourLeftThem).groups).toContainEqual([...OLD, ...MEDIA].sort());
    const calling = OLD.map((ip) => timed(ip, '10.52.4.1', 27017, 0, 48));
    expect(runGroupJoin(joinRolloutSuccessors, [...mesh(), ...calling], asBehaviourLeftThem).groups).toContainEqual([...OLD, ...MEDIA].sort());
  });

  it(`takes the silence of a host seen now and then for chance: fewer than ${ROLLOUT_SUCCESSOR_DEFAULTS.minMissedRecords} of its records missed`, () => {
    // Rolled out at hour 30 of 48. At 5 records per edge (10 a pod in 30 hours), the 18 silent hours should
    // have held 6 of them: the pods left. At 2 per edge, 2.4: a rarely used pod may just have had no call.
    const sparse = (perEdge: number) => mesh({ rolloutHour: 30 }).map((edge) => (OLD.includes(edge.server) ? { ...edge, flows: perEdge } : edge));
    expect(runGroupJoin(joinRolloutSuccessors, sparse(5), asBehaviourLeftThem).groups).toContainEqual([...OLD, ...NEW].sort());
    expect(runGroupJoin(joinRolloutSuccessors, sparse(2), asBehaviourLeftThem).groups).toContainEqual([...OLD, ...MEDIA].sort());
  });

  it('takes idle pods that left with the busy ones of one rollout into that service, and none when two services rolled out', () => {
    // .23 took no call: only Prometheus scraped it, until the rollout at hour 10.
    const IDLE = '10.52.1.23';
    const idle = timed(PROMETHEUS, IDLE, 15020, 0, 10);
    const { groups, notes } = runGroupJoin(joinRolloutSuccessors, [...mesh(), idle], [[...OLD, ...MEDIA], NEW, [IDLE]]);
    expect(groups).toContainEqual([...OLD, IDLE, ...NEW].sort());
    expect(notes.get(IDLE)).toBe(`left with the pods of a rollout: it served no role of its own, did nothing they did not, and was last seen at ${new Date(START + 10 * HOUR).toISOString()}, within 60 minutes of when {${NEW[0]} +1} replaced ${OLD[0]}`);
    // An idle pod that left at hour 30, long after the rollout, stays apart.
    const later = timed(PROMETHEUS, IDLE, 15020, 0, 30);
    expect(runGroupJoin(joinRolloutSuccessors, [...mesh(), later], [[...OLD, ...MEDIA], NEW, [IDLE]]).groups).toContainEqual([IDLE]);
    // Media, which another front end (.11) calls, rolled out in the same hour: the moment says nothing of which service the idle pod was.
    const FRONT2 = '10.52.0.11';
    const mediaNew = ['10.52.2.51', '10.52.2.52'];
    const both = [
      ...mesh().filter((edge) => !MEDIA.includes(edge.server)),
      ...MEDIA.flatMap((ip) => [timed(FRONT2, ip, 9090, 0, 10), timed(PROMETHEUS, ip, 15020, 0, 10)]),
      ...mediaNew.flatMap((ip) => [timed(FRONT2, ip, 9090, 10, 48), timed(PROMETHEUS, ip, 15020, 10, 48)]),
      idle,
    ];
    const twice = runGroupJoin(joinRolloutSuccessors, both, [OLD, MEDIA, NEW, mediaNew, [IDLE]]);
    expect(twice.groups).toContainEqual([...OLD, ...NEW].sort());
    expect(twice.groups).toContainEqual([...MEDIA, ...mediaNew].sort());
    expect(twice.groups).toContainEqual([IDLE]);
  });

  it('leaves a workstation that shut down at the rollout where it was: it answered helpdesk RDP and used file shares, which no pod did', () => {
    const DESK = '10.60.1.15';
    const desk = [timed('10.60.0.9', DESK, 3389, 2, 10, 1), timed(DESK, '10.60.0.20', 445, 0, 10), timed(PROMETHEUS, DESK, 15020, 0, 10)];
    expect(runGroupJoin(joinRolloutSuccessors, [...mesh(), ...desk], [[...OLD, ...MEDIA], NEW, [DESK]]).groups).toContainEqual([DESK]);
  });

  it('moves all the old pods of one group the same way when labels name only some of them', () => {
    // .21 is labelled, .22 is not; the new pods sit with media, unlabelled: they join the old pods, and .22 stays with .21.
    const { groups } = runGroupJoin(joinRolloutSuccessors, mesh(), [OLD, [...NEW, ...MEDIA]], { [OLD[0]!]: 'app=unique-id' });
    expect(groups).toContainEqual([...OLD, ...NEW].sort());
    expect(groups).toContainEqual([...MEDIA].sort());
  });

  it(`joins at a gap of exactly ${ROLLOUT_SUCCESSOR_DEFAULTS.handoverMs / HOUR} h, not a minute more`, () => {
    expect(runGroupJoin(joinRolloutSuccessors, mesh({ rolloutHour: 10, newStartsAt: 11 }), asBehaviourLeftThem).groups).toContainEqual([...OLD, ...NEW].sort());
    expect(runGroupJoin(joinRolloutSuccessors, mesh({ rolloutHour: 10, newStartsAt: 11 + 1 / 60 }), asBehaviourLeftThem).groups).toContainEqual([...OLD, ...MEDIA].sort());
  });

  it('gives the same groups and notes whatever the order of the edges', () => {
    const edges = mesh();
    const forward = runGroupJoin(joinRolloutSuccessors, edges, asBehaviourLeftThem);
    const backward = runGroupJoin(joinRolloutSuccessors, [...edges].reverse(), asBehaviourLeftThem);
    expect(backward.groups).toEqual(forward.groups);
    expect([...backward.notes].sort()).toEqual([...forward.notes].sort());
  });
});
