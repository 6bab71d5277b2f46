/** Human names for the engine's progress stages (unknown stages are shown as they come). */
const STAGE_LABELS: Readonly<Record<string, string>> = {
  engine: 'Starting the engine',
  classify: 'Classifying inputs',
  ingest: 'Reading flows',
  store: 'Storing flows',
  edges: 'Building client → server edges',
  enrich: 'Enriching hosts',
  discover: 'Discovering application groups',
  policy: 'Generating and replaying the policy',
  workspace: 'Opening the workspace',
  done: 'Finishing',
};

export function stageLabel(stage: string): string {
  return STAGE_LABELS[stage] ?? stage;
}
