// Rewrites the generated parts of the docs from the code: the dependency graph in docs/architecture.md and the
// endpoint table in docs/api.md.
// `npm run docs:generate`; tests fail when a generated part is out of step and name this command.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dependencyGraphText, readWorkspaces } from '../test/architecture/import-graph';
import { listRoutes } from '@tiandi/server';
import { updateApiDoc } from './api-doc';
import { replaceGenerated } from './generated-block';

const root = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

function writeDependencyGraph(): void {
  const file = path.join(root, 'docs/architecture.md');
  const graph = `\`\`\`\n${dependencyGraphText(readWorkspaces(root))}\n\`\`\``;
  writeFileSync(file, replaceGenerated(readFileSync(file, 'utf8'), 'dependency graph', graph));
  console.log('docs/architecture.md: dependency graph');
}

async function writeApiTable(): Promise<void> {
  const file = path.join(root, 'docs/api.md');
  writeFileSync(file, updateApiDoc(readFileSync(file, 'utf8'), await listRoutes()));
  console.log('docs/api.md: endpoint table');
}

writeDependencyGraph();
await writeApiTable();
