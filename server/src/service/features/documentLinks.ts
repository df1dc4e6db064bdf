/**
 * Document links: every certificate or key path that resolves to an existing file opens it; a path in a
 * container that is a key of a Secret or ConfigMap of the workspace opens the manifest line that makes it.
 */
import type { DocumentLink } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { loadReferencedFile } from '../certificates/certificateFiles';
import { certificatePaths, readableHere } from '../certificates/certificatePaths';
import { rangeOf } from '../diagnostics';
import type { FeatureContext } from './featureContext';
import { containerFile } from '../certificates/containerFiles';
import { secretKeyLinkTarget } from './secretKeyHover';

export function documentLinks(context: FeatureContext): DocumentLink[] {
  const { document, parsed, runtime, path } = context;
  const links: DocumentLink[] = [];
  for (const reference of certificatePaths(parsed, runtime)) {
    if (!reference.written) continue;
    // A path in a container is no file of this machine unless a path mapping says where it is; a key of a
    // Secret or ConfigMap of the workspace links to the manifest that makes it (the Certificate, the Secret's key).
    let target: { target: string; tooltip: string } | undefined;
    if (!readableHere(reference, context.settings)) {
      const container = context.cluster?.containerOf(reference.container) ?? reference.container!;
      const found = containerFile(reference.written, container, context.cluster, context.caches.virtual, runtime.now());
      target = found.kind === 'key' ? secretKeyLinkTarget(found.contents) : undefined;
    } else {
      const file = loadReferencedFile(context, reference.written, path);
      if (file.status === 'ok') target = { target: URI.file(file.path).toString(), tooltip: `Open ${file.path}` };
    }
    if (!target) continue;
    let { offset, length } = reference;
    // The link covers the path, not its quotes.
    const raw = document.getText().slice(offset, offset + length);
    if (length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw.endsWith(raw[0])) {
      offset++;
      length -= 2;
    }
    links.push({ range: rangeOf(document, offset, length), ...target });
  }
  return links;
}
