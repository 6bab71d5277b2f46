import { describe, expect, it } from 'vitest';
import { isPlacementLabel, MAX_OBSERVED_LABELS, ObservedLabels } from '../../../src/core/ingest/observed-labels';

describe('observed placement labels', () => {
  it('keep each (address, key, value) once, in text order, and skip empty values', () => {
    const labels = new ObservedLabels();
    labels.add('10.0.0.2', 'gcp:vpc', 'p/prod');
    labels.add('10.0.0.10', 'azure:nsg', 'B');
    labels.add('10.0.0.10', 'azure:nsg', 'A');
    labels.add('10.0.0.2', 'gcp:vpc', 'p/prod');
    labels.add('10.0.0.2', 'gcp:subnet', '');
    labels.add('10.0.0.2', 'gcp:subnet', undefined);
    expect(labels.list()).toEqual([
      { ip: '10.0.0.10', key: 'azure:nsg', value: 'A' },
      { ip: '10.0.0.10', key: 'azure:nsg', value: 'B' },
      { ip: '10.0.0.2', key: 'gcp:vpc', value: 'p/prod' },
    ]);
    expect(labels.overflow).toBe(0);
  });

  it('bound what one hostile file can make them hold, counting the rest', () => {
    const labels = new ObservedLabels();
    for (let i = 0; i < MAX_OBSERVED_LABELS + 3; i++) labels.add('10.0.0.1', 'azure:allowed-by', `rule-${i}`);
    labels.add('10.0.0.1', 'azure:allowed-by', 'rule-0');
    expect(labels.list()).toHaveLength(MAX_OBSERVED_LABELS);
    expect(labels.overflow).toBe(3);
  });

  it('are told apart from inventory and pod labels by their cloud namespace', () => {
    expect(['azure:nsg', 'gcp:subnet', 'app', 'k8s:app', 'zone'].map(isPlacementLabel)).toEqual([true, true, false, false, false]);
  });
});
