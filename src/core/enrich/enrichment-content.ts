import type { EnrichmentFormatId } from './enrichment-file';

/**
 * What a file named as an enrichment input plainly is not, said before its
 * parser gives a message about its header: binary data (NUL bytes), or
 * JSON where a CSV inventory is expected, or text where JSON is. Null when
 * the content is of the expected kind (the parser then judges it).
 */
export function enrichmentContentProblem(text: string, format: EnrichmentFormatId): string | null {
  if (text.includes('\u0000')) return `not ${WHAT[format]}: it contains NUL bytes (binary data)`;
  const first = text.trimStart().charAt(0);
  const json = first === '{' || first === '[';
  if (format === 'inventory' && json) {
    return `not ${WHAT[format]}: it is JSON (it starts with "${first}"); an inventory is a CSV with an address column (a pod list goes to --pods)`;
  }
  if (format === 'k8s-pods' && !json) return `not ${WHAT[format]}: it is not JSON (it starts with ${JSON.stringify(text.trimStart().slice(0, 20))}); give the output of kubectl get pods -o json`;
  return null;
}

const WHAT: Record<EnrichmentFormatId, string> = {
  inventory: 'an inventory',
  'k8s-pods': 'a Kubernetes pod list',
  'windows-logons': 'a Windows logon export',
};
