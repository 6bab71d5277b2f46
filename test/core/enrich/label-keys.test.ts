import { describe, expect, it } from 'vitest';
import { findLabel, INVENTORY_IDENTITY_KEYS, inventoryIdentityKeys } from '../../../src/core/enrich/label-keys';
import { agreedValues } from '../../../src/core/discover/workloads';
import type { ProfileHost } from '../../../src/core/discover/host-features';

const labelled = (labels: Record<string, string>): { key: string; value: string }[] => Object.entries(labels).map(([key, value]) => ({ key, value }));
const host = (ip: string, labels: Record<string, string>): ProfileHost => ({ ip, sortKey: ip, labels: labelled(labels) });

describe('label keys', () => {
  it("reads an OT asset list's zone as the application and its asset type as the tier", () => {
    const labels = labelled({ zone: 'Line 2 - Filling', 'asset type': 'PLC', vendor: 'Siemens' });
    expect(findLabel(labels, 'app')?.value).toBe('Line 2 - Filling');
    expect(findLabel(labels, 'tier')?.value).toBe('PLC');
  });

  it('prefers the first spelling whatever the order of the columns: an application over a zone', () => {
    expect(findLabel(labelled({ zone: 'DMZ', application: 'billing' }), 'app')?.value).toBe('billing');
    expect(findLabel(labelled({ role: 'web', tier: 'frontend' }), 'tier')?.value).toBe('frontend');
  });

  it('reads the environment, application and tier under the names CMDB and tag exports give them', () => {
    const servicenow = labelled({ 'used for': 'Production', 'business service': 'Payments', function: 'Database', class: 'Linux Server' });
    expect([findLabel(servicenow, 'env')?.value, findLabel(servicenow, 'app')?.value, findLabel(servicenow, 'tier')?.value]).toEqual(['Production', 'Payments', 'Database']);
    const fields = labelled({ u_environment: 'qa', u_application: 'erp', u_server_role: 'app' });
    expect([findLabel(fields, 'env')?.value, findLabel(fields, 'app')?.value, findLabel(fields, 'tier')?.value]).toEqual(['qa', 'erp', 'app']);
    const tags = labelled({ applicationname: 'shop', 'service-level': 'Development', 'app_tier': 'web' });
    expect([findLabel(tags, 'env')?.value, findLabel(tags, 'app')?.value, findLabel(tags, 'tier')?.value]).toEqual(['Development', 'shop', 'web']);
  });

  it('takes neither a lifecycle state nor a bare service for an environment or an application', () => {
    const labels = labelled({ lifecycle: 'Operational', service: 'SQL Server', class: 'Windows Server' });
    expect([findLabel(labels, 'env'), findLabel(labels, 'app'), findLabel(labels, 'tier')]).toEqual([undefined, undefined, undefined]);
  });

  it('prefers the plain spelling where a host carries both', () => {
    expect(findLabel(labelled({ 'used for': 'Production', environment: 'dr' }), 'env')?.value).toBe('dr');
    expect(findLabel(labelled({ zone: 'DMZ', 'business service': 'Payments' }), 'app')?.value).toBe('Payments');
  });

  it('drops the environment from the identity where no list carries one, and only then', () => {
    const plant = [host('10.0.0.1', { zone: 'Line 1', 'asset type': 'PLC' }), host('10.0.0.2', { zone: 'Line 1', 'asset type': 'HMI' })];
    expect(inventoryIdentityKeys(plant)).toEqual(['app', 'tier']);
    const estate = [host('10.0.0.1', { environment: 'prod', application: 'billing', role: 'db' }), host('10.0.0.2', { application: 'billing', role: 'db' })];
    expect(inventoryIdentityKeys(estate)).toEqual(INVENTORY_IDENTITY_KEYS);
  });

  it('names no identity from an environment and a tier alone', () => {
    const hosts = [host('10.0.0.1', { env: 'prod', role: 'web' }), host('10.0.0.2', { env: 'prod', role: 'web' })];
    expect(inventoryIdentityKeys(hosts)).toEqual(INVENTORY_IDENTITY_KEYS);
    expect(agreedValues(hosts, inventoryIdentityKeys(hosts)).size).toBe(0);
  });

  it("gives a plant's listed hosts their zone and type as identity", () => {
    const hosts = [host('10.0.0.1', { zone: 'Line 1', 'asset type': 'PLC' }), host('10.0.0.2', { zone: 'Line 1' }), host('10.0.0.3', {})];
    expect([...agreedValues(hosts, inventoryIdentityKeys(hosts))]).toEqual([[0, 'app=Line 1 tier=PLC']]);
  });
});
