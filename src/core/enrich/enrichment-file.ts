/** Formats of enrichment files, reported in `inputs[]` beside the flow formats. */
export const ENRICHMENT_FORMAT_IDS = ['inventory', 'k8s-pods', 'windows-logons'] as const;
export type EnrichmentFormatId = (typeof ENRICHMENT_FORMAT_IDS)[number];
