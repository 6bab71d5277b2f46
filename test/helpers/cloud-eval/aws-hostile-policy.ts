// The exports' hostile policy (test/core/export/hostile-policy.ts) with one
// more group whose id and name are Terraform templates: `${…}` and `%{…}`
// that `terraform plan` would evaluate if the export wrote them unescaped.
import type { Policy } from '../../../src/core/policy/policy-model';
import { group, rule } from '../../core/policy/fixtures';
import { hostilePolicy } from '../../core/export/hostile-policy';

export const TEMPLATE_INJECTION = '${file("/etc/passwd")}%{ if true }"\n';

export function awsHostilePolicy(): Policy {
  const base = hostilePolicy();
  return {
    ...base,
    groups: [...base.groups, group(TEMPLATE_INJECTION, ['10.0.9.9'], { name: TEMPLATE_INJECTION })],
    rules: [...base.rules, rule(TEMPLATE_INJECTION, 'g1', 6, { from: 443, to: 443 })],
  };
}
