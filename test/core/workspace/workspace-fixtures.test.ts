import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Workbench } from '../../../src/core/workbench/workbench';
import { readWorkspace, writeWorkspace } from '../../../src/core/workspace/workspace-file';
import { OLDEST_WORKSPACE_VERSION } from '../../../src/core/workspace/workspace-migrations';
import { WORKSPACE_VERSION } from '../../../src/core/workspace/workspace-model';

const fixture = (version: number) => fileURLToPath(new URL(`../../fixtures/workspace/demo.v${version}.flowfence`, import.meta.url));

describe('workspaces saved by every earlier version', () => {
  for (let version = OLDEST_WORKSPACE_VERSION; version <= WORKSPACE_VERSION; version++) {
    it(`opens the version-${version} fixture with its edits, decisions and page state`, async () => {
      const bytes = new Uint8Array(await readFile(fixture(version)));
      const content = readWorkspace(bytes, `demo.v${version}.flowfence`);
      const bench = Workbench.restore(content.material, content.log);
      const view = bench.view();
      expect(content.log.edits).toHaveLength(8);
      expect(content.log.position).toBe(7);
      expect(Object.values(view.ruleDecisions).map((decision) => decision.reason).sort()).toEqual(['confirmed with the owner', 'no longer used']);
      expect(view.acceptedAnomalies).toEqual({ '0': 'the quarterly scan' });
      expect(view.policy.groups.some((group) => group.name === 'payments · "prod"')).toBe(true);
      expect(view.pinned).toHaveLength(1);
      expect(bench.historyLabels().redo).toEqual(['Cut the tree into 20 clusters']);
      expect(content.page).toMatchObject({ expandedGroups: expect.any(Array) });
      // Read and written again by this version, a current-version file is the same bytes.
      if (version === WORKSPACE_VERSION) expect(Buffer.from(writeWorkspace({ summary: content.summary, material: bench.material, log: bench.log(), page: content.page }))).toEqual(Buffer.from(bytes));
    });
  }
});
