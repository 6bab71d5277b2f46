import { describe, expect, it } from 'vitest';
import { Action, DirectionReason, FlowRecord, Hint } from '../../../src/core/flow/record';
import { DoorAggregator, HOUR_UNKNOWN, type DoorBatch } from '../../../src/core/ingest/door';
import { ObsMerger } from '../../../src/core/ingest/obs-merger';
import { unpackObsRows } from '../../../src/core/ingest/obs-compact';
import { ObsSpill, foldDay } from '../../../src/core/ingest/obs-spill';
import { ObsTable, obsValue, type ObsField, type ObsRows } from '../../../src/core/ingest/obs-table';

/** A small door's batch: one storage segment. */
function onlyPart(batch: DoorBatch): ObsRows {
  expect(batch.obs).toHaveLength(1);
  return batch.obs[0]!;
}

const values = (rows: ObsRows, row: number, fields: ObsField[]): number[] => fields.map((field) => obsValue(rows, row, field));

function record(fields: Partial<FlowRecord>): FlowRecord {
  const r = new FlowRecord();
  Object.assign(r, { src: '10.0.0.1', dst: '10.0.0.2', srcPort: 40000, dstPort: 443, proto: 6, packets: 1, bytes: 100, startMs: Date.UTC(2026, 0, 5, 10, 30) }, fields);
  return r;
}

describe('door aggregation', () => {
  it('folds a request and its response into one conversation row, directions apart', () => {
    const door = new DoorAggregator();
    door.add(record({ packets: 2, bytes: 200, action: Action.allow }), 0);
    door.add(record({ src: '10.0.0.2', dst: '10.0.0.1', srcPort: 443, dstPort: 40000, packets: 3, bytes: 3000, action: Action.allow }), 0);
    const batch = door.drain();
    const obs = onlyPart(batch);
    const { newHosts, newObservers } = batch;
    expect(obs.length).toBe(1);
    expect(newHosts).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(newObservers).toEqual(['file#0']);
    expect(values(obs, 0, ['loPort', 'hiPort', 'recLH', 'recHL', 'bytesLH', 'bytesHL', 'allowN'])).toEqual([40000, 443, 1, 1, 200, 3000, 2]);
    expect(obsValue(obs, 0, 'hour')).toBe(Math.floor(Date.UTC(2026, 0, 5, 10) / 3_600_000));
  });

  it('holds its first capacity until it first fills, then its smaller capacity once full', () => {
    const door = new DoorAggregator(4, 2);
    const add = (port: number): void => door.add(record({ srcPort: port }), 0);
    for (const port of [1, 2, 3]) add(port);
    expect(door.full).toBe(false);
    add(4);
    expect(door.full).toBe(true);
    expect(onlyPart(door.drain()).length).toBe(4);
    add(5);
    expect(door.full).toBe(false);
    add(6);
    expect(door.full).toBe(true);
    expect(onlyPart(door.drain()).length).toBe(2);
    // One size given: that size throughout.
    const fixed = new DoorAggregator(2);
    for (const port of [1, 2]) fixed.add(record({ srcPort: port }), 0);
    fixed.drain();
    fixed.add(record({ srcPort: 3 }), 0);
    expect(fixed.full).toBe(false);
  });

  it('orders conversation ends by address text, so every door agrees without sharing ids', () => {
    const a = new DoorAggregator();
    const b = new DoorAggregator();
    a.add(record({ src: '10.0.0.9', dst: '10.0.0.10' }), 0);
    b.add(record({ src: '10.0.0.77', dst: '10.0.0.10' }), 0);
    b.add(record({ src: '10.0.0.10', dst: '10.0.0.9', srcPort: 443, dstPort: 40000 }), 0);
    const merger = new ObsMerger();
    const spill = new ObsSpill();
    for (const rows of [...merger.merge(1, a.drain()), ...merger.merge(2, b.drain())]) spill.add(rows);
    const folded = foldDay(spill.takeDays()[0]!);
    const rows = unpackObsRows(folded);
    expect(rows.length).toBe(2);
    const hosts = merger.hosts.values;
    const pair = [...Array(rows.length).keys()].find((row) => hosts[obsValue(rows, row, 'hi')] === '10.0.0.9')!;
    expect(hosts[obsValue(rows, pair, 'lo')]).toBe('10.0.0.10');
    expect(values(rows, pair, ['recLH', 'recHL'])).toEqual([1, 1]);
  });

  it('hands a full table over in its storage segments, without copying the rows', () => {
    const door = new DoorAggregator(70_000);
    for (let i = 0; i < 70_000; i++) door.add(record({ srcPort: 1024 + (i % 60_000), dstPort: 443 + Math.floor(i / 60_000) }), 0);
    expect(door.full).toBe(true);
    const { obs } = door.drain();
    // 65,536 rows a segment: one full, one holding the rest in a longer array.
    expect(obs.map((part) => part.length)).toEqual([65_536, 70_000 - 65_536]);
    expect(obs[1]!.data.length).toBeGreaterThan((70_000 - 65_536) * 21);
    expect(door.size).toBe(0);
  });

  it('starts clean after a reset that keeps its storage', () => {
    const table = new ObsTable(4);
    for (let i = 0; i < 70_000; i++) table.segment(table.slot(0, 0, i, 1, i + 1, 2, 6))[((i & 0xffff) * 21) + 7] = 5;
    const storage = table.segment(0);
    table.reset(10);
    expect(table.size).toBe(0);
    const slot = table.slot(1, 2, 3, 4, 5, 6, 17);
    expect(slot).toBe(0);
    // The same storage, the old row's counters gone.
    expect(table.segment(0)).toBe(storage);
    expect(Array.from(table.segment(0).subarray(7, 13))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(table.takeSegments().map((part) => part.length)).toEqual([1]);
  });

  it('records explicit evidence for the side that opened the connection, keeping the strongest reason', () => {
    const door = new DoorAggregator();
    const syn = record({ src: '10.0.0.2', dst: '10.0.0.1', srcPort: 40000, dstPort: 443 });
    syn.setHint(Hint.srcIsClient, DirectionReason.initiator);
    door.add(syn, 0);
    const synAck = record({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 443, dstPort: 40000 });
    synAck.setHint(Hint.srcIsServer, DirectionReason.tcpFlags);
    door.add(synAck, 0);
    const obs = onlyPart(door.drain());
    // lo is 10.0.0.1:443, the server: both records say hi opened the connection.
    expect(values(obs, 0, ['evLo', 'evHi', 'evLoReason', 'evHiReason'])).toEqual([0, 2, 0, DirectionReason.tcpFlags]);
  });

  it('keeps observers apart and marks records without time', () => {
    const door = new DoorAggregator();
    door.add(record({ observer: 'eni-a' }), 0);
    door.add(record({ observer: 'eni-b' }), 0);
    door.add(record({ startMs: Number.NaN, endMs: Number.NaN }), 3);
    const batch = door.drain();
    const obs = onlyPart(batch);
    const { newObservers } = batch;
    expect(newObservers).toEqual(['eni-a', 'eni-b', 'file#3']);
    expect(obs.length).toBe(3);
    expect(obsValue(obs, 2, 'hour')).toBe(HOUR_UNKNOWN);
    expect(Number.isNaN(obsValue(obs, 2, 'firstMs'))).toBe(true);
  });

  it('grows past its capacity in proportion to what it holds (regression: it once doubled on every new row)', () => {
    const table = new ObsTable(1000);
    for (let i = 0; i < 50_000; i++) table.slot(0, 0, i, 1, i + 1, 2, 6);
    expect(table.size).toBe(50_000);
    // 50,000 rows fit one 65,536-row segment: storage grows with what is held.
    expect(table.segment(49_999)).toBe(table.segment(0));
    for (let i = 0; i < 50_000; i++) expect(table.slot(0, 0, i, 1, i + 1, 2, 6)).toBe(i);
  });

  it('folds in the door the hours no other door saw, and leaves shared hours per observer', () => {
    const at = (hour: number) => Date.UTC(2026, 0, 5, hour, 10);
    const a = new DoorAggregator();
    const b = new DoorAggregator();
    // Both interfaces of one connection at 10:00, seen only by door a; 11:00 seen by both doors.
    a.add(record({ observer: 'eni-1', startMs: at(10), packets: 4 }), 0);
    a.add(record({ observer: 'eni-2', startMs: at(10), packets: 4 }), 0);
    a.add(record({ observer: 'eni-1', startMs: at(11), packets: 2 }), 0);
    b.add(record({ observer: 'eni-1', startMs: at(11), packets: 3 }), 1);
    const merger = new ObsMerger();
    const shared = merger.sharedHours([a.hours(), b.hours()]);
    const hour11 = Math.floor(at(11) / 3_600_000);
    expect([...shared]).toEqual([hour11]);
    const lastA = a.drainFinal(shared);
    expect(lastA.final).toBe(true);
    expect(lastA.folded!.length).toBe(1);
    // The two interfaces' records of one connection count once: the larger, not the sum.
    expect(values(unpackObsRows(lastA.folded!), 0, ['observer', 'recLH', 'pktsLH'])).toEqual([0, 1, 4]);
    expect(lastA.obs.map((part) => part.length)).toEqual([1]);
    const spill = new ObsSpill();
    for (const rows of [...merger.merge(0, lastA), ...merger.merge(1, b.drainFinal(shared))]) spill.add(rows);
    // eni-1 at 11:00 was split between the doors: its counts add up before any folding.
    const folded = foldDay(spill.takeDays()[0]!);
    const merged = unpackObsRows(folded);
    expect(merged.length).toBe(1);
    expect(values(merged, 0, ['recLH', 'pktsLH'])).toEqual([2, 5]);
    expect(merger.takeFolded()).toHaveLength(1);
  });

  it('treats the hours of early batches as shared', () => {
    const door = new DoorAggregator();
    door.add(record({}), 0);
    const merger = new ObsMerger();
    merger.merge(0, door.drain());
    door.add(record({}), 0);
    expect([...merger.sharedHours([door.hours()])]).toEqual([Math.floor(Date.UTC(2026, 0, 5, 10, 30) / 3_600_000)]);
  });

  it('translates ids to global ones, and refuses batches out of order', () => {
    const merger = new ObsMerger();
    merger.hosts.id('10.9.9.9');
    const door = new DoorAggregator();
    door.add(record({}), 0);
    const [rows] = merger.merge(0, door.drain());
    expect(merger.hosts.values.slice(1)).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(values(rows!, 0, ['lo', 'hi'])).toEqual([1, 2]);
    const other = new DoorAggregator();
    other.add(record({}), 0);
    other.drain();
    other.add(record({ src: '10.9.9.9' }), 0);
    expect(() => new ObsMerger().merge(0, other.drain())).toThrow(/out of order/);
  });
});
