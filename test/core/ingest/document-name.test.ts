import { describe, expect, it } from 'vitest';
import { isDocumentName } from '../../../src/core/ingest/document-name';

describe('isDocumentName', () => {
  it('knows the documents that travel with exports', () => {
    for (const path of ['README', 'README.md', 'data/readme.txt', 'LICENSE', 'licence.txt', 'COPYING', 'NOTICE', 'CHANGELOG.md', 'SOURCE.txt', 'notes.md', 'methodology.pdf', 'a\\b\\Report.docx', 'index.html', 'test18__README.md'])
      expect(isDocumentName(path), path).toBe(true);
  });

  it('does not take exports for documents', () => {
    for (const path of ['conn.log', 'flows.csv', 'eve.json', 'x.binetflow', 'vpc-flow-logs/2026/01/05/a.log.gz', 'capture.pcap', 'source.csv', 'readme-flows.csv', 'labels.config'])
      expect(isDocumentName(path), path).toBe(false);
  });
});
