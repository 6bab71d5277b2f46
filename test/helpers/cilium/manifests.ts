// Reads CiliumNetworkPolicy documents back from YAML, the way `kubectl
// apply -f` would receive them, for the evaluator: every document must
// parse without error or warning, hold no anchors or aliases (plain YAML
// any tool reads alike), and be a cilium.io/v2 CiliumNetworkPolicy.
import { isAlias, parseAllDocuments, visit } from 'yaml';

export function parseCiliumPolicies(text: string): unknown[] {
  return parseAllDocuments(text).map((document, index) => {
    if (document.errors.length > 0 || document.warnings.length > 0) throw new Error(`document ${index}: ${[...document.errors, ...document.warnings].map((problem) => problem.message).join('; ')}`);
    visit(document, (_key, node) => {
      if (isAlias(node)) throw new Error(`document ${index}: an alias (*${node.source})`);
    });
    const value: unknown = document.toJS();
    const object = value as { apiVersion?: unknown; kind?: unknown } | null;
    if (object === null || object.apiVersion !== 'cilium.io/v2' || object.kind !== 'CiliumNetworkPolicy') throw new Error(`document ${index} is not a cilium.io/v2 CiliumNetworkPolicy`);
    return value;
  });
}
