// Rewrites the generated parts of the docs from the code: the dependency graph in docs/architecture.md.
// `npm run docs:generate`; tests fail when a generated part is out of step and name this command.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dependencyGraphText, readWorkspaces } from '../test/architecture/import-graph';
import { replaceGenerated } from './generated-block';

const root = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

function writeDependencyGraph(): void {
  const file = path.join(root, 'docs/architecture.md');
  const graph = `\`\`\`\n${dependencyGraphText(readWorkspaces(root))}\n\`\`\``;
  writeFileSync(file, replaceGenerated(readFileSync(file, 'utf8'), 'dependency graph', graph));
  console.log('docs/architecture.md: dependency graph');
}

writeDependencyGraph();
