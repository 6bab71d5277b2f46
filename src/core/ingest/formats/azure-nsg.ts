import type { JsonDocumentFormat } from '../format';

// Placeholder while the parser is being written; it never claims a file.
export const azureNsgFormat: JsonDocumentFormat = {
  id: 'azure-nsg',
  kind: 'json-document',
  description: 'Azure NSG flow logs (v1, v2)',
  elementPaths: ['$.records.*'],
  sniff: () => 0,
  createParser: () => {
    throw new Error('azure-nsg parser not written yet');
  },
};
