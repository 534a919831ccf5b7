// A generated part of a Markdown file sits between `<!-- generated: NAME … -->` and `<!-- end generated -->`.

const blockPattern = (name: string) => new RegExp(`(<!-- generated: ${name}[^>]*-->\\n)([\\s\\S]*?)\\n(<!-- end generated -->)`);

/** The text between the markers named `name`, or undefined when the file has none. */
export function generatedBlock(markdown: string, name: string): string | undefined {
  return blockPattern(name).exec(markdown)?.[2];
}

/** The file with the block named `name` replaced by `body`; throws when the markers are missing. */
export function replaceGenerated(markdown: string, name: string, body: string): string {
  if (generatedBlock(markdown, name) === undefined) throw new Error(`no "<!-- generated: ${name} -->" block to replace`);
  return markdown.replace(blockPattern(name), (_m, open: string, _old: string, close: string) => `${open}${body}\n${close}`);
}
