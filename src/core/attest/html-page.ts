import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { escapeHtml } from './html-escape';
import { toBase64 } from './in-toto';

/**
 * A self-contained HTML page (an attestation pack's report, the measures
 * page): no script, no external resource, and a Content-Security-Policy
 * that allows nothing but its own stylesheet, named by its hash, so that
 * nothing an input smuggled into the body can run or load. The title is
 * escaped here; the body is markup the caller built with every input value
 * escaped.
 */
export function selfContainedPage(title: string, style: string, body: string): string {
  const csp = `default-src 'none'; style-src 'sha256-${toBase64(sha256(utf8ToBytes(style)))}'; img-src 'none'; base-uri 'none'; form-action 'none'`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
