/**
 * Names of the documents that travel with exports (a README, a licence, a
 * note on where the data came from, prose in .md or .txt). Found while
 * walking a folder and not recognised as any format, such a file is
 * skipped with a note rather than failing the run: a folder of exports
 * with a README in it is a normal thing to hand over. A file with such a
 * name that is flow data (an export saved as .txt) is read like any other;
 * only files no format recognises are skipped.
 */
const DOCUMENT_STEMS = /^(readme|license|licence|copying|notice|changelog|changes|authors|contributing|source|sources|about|description)$/i;
const DOCUMENT_EXTENSIONS = /\.(md|markdown|rst|txt|text|adoc|org|pdf|doc|docx|odt|rtf|html?)$/i;

/** A bare document name (README, LICENSE) or a document extension; "sources.csv" is data, whatever its stem. */
export function isDocumentName(path: string): boolean {
  const name = path.split(/[\\/]/).pop() ?? path;
  return DOCUMENT_STEMS.test(name) || DOCUMENT_EXTENSIONS.test(name);
}
