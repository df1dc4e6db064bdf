/** Document links: every certificate or key path that resolves to an existing file opens it. */
import type { DocumentLink } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { loadReferencedFile } from '../certificates/certificateFiles';
import { certificatePaths, readableHere } from '../certificates/certificatePaths';
import { rangeOf } from '../diagnostics';
import type { FeatureContext } from './featureContext';

export function documentLinks(context: FeatureContext): DocumentLink[] {
  const { document, parsed, runtime, path } = context;
  const links: DocumentLink[] = [];
  for (const reference of certificatePaths(parsed, runtime)) {
    // A path in a container is no file of this machine unless a path mapping says where it is.
    if (!reference.written || !readableHere(reference, context.settings)) continue;
    const file = loadReferencedFile(context, reference.written, path);
    if (file.status !== 'ok') continue;
    let { offset, length } = reference;
    // The link covers the path, not its quotes.
    const raw = document.getText().slice(offset, offset + length);
    if (length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw.endsWith(raw[0])) {
      offset++;
      length -= 2;
    }
    links.push({ range: rangeOf(document, offset, length), target: URI.file(file.path).toString(), tooltip: `Open ${file.path}` });
  }
  return links;
}
